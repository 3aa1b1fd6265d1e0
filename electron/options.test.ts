import { describe, expect, it } from 'vitest';
import { parseShellOptions } from './options';

describe('desktop app options', () => {
  it('keeps data in the OS application-data place by default', () => {
    expect(parseShellOptions([], {}, '/home/ana/.config/Circa')).toEqual({
      kiosk: false,
      dataDir: '/home/ana/.config/Circa/station',
    });
  });
  it('takes --kiosk and --data, or the environment', () => {
    expect(parseShellOptions(['--kiosk', '--data', '/srv/circa'], {}, '/u')).toEqual({
      kiosk: true,
      dataDir: '/srv/circa',
    });
    expect(parseShellOptions(['--data=/d'], {}, '/u').dataDir).toBe('/d');
    expect(parseShellOptions([], { CIRCA_DATA_DIR: '/e', CIRCA_KIOSK: '1' }, '/u')).toEqual({
      kiosk: true,
      dataDir: '/e',
    });
  });
});
