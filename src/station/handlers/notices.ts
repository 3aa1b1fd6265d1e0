// The station API's notices methods (src/api/contract/notices.ts), each turned into a service call.
import type { noticesApi } from '../../api/contract/notices';
import type { HandlerDeps, HandlersOf } from './types';

export function noticesHandlers({ s }: HandlerDeps): HandlersOf<typeof noticesApi> {
  return {
    'notices.settings': () => s.notices.view(),
    'notices.saveSettings': (input, hc) => s.notices.saveSettings(input.settings, hc.actor, input.smtpPassword),
    'notices.preview': (input) => s.notices.preview(input.template, input.language),
    'notices.run': () => s.notices.run(),
    'notices.status': () => {
      const settings = s.notices.settings();
      return {
        counts: s.notices.counts(),
        attention: s.notices.needingAttention(),
        isSender: s.notices.isSender(settings),
        enabled: settings.enabled,
      };
    },
    'notices.forPatron': (input) => s.notices.forPatron(input.patronId),
    'notices.letters': () => s.notices.lettersPage(),
    'notices.markPrinted': (input, hc) => ({ printed: s.notices.markPrinted(input.ids, hc.actor) }),
    'notices.retry': (input, hc) => s.notices.retry(input.id, hc.actor),
  };
}
