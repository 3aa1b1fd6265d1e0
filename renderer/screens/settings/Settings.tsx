import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../state/session';
import { BranchesSettings } from './Branches';
import { CalendarSettings } from './Calendar';
import { CategoriesSettings } from './Categories';
import { CopyCatalogueTargetsSettings } from './CopyCatalogueTargets';
import { HubConnectionSettings } from './HubConnection';
import { ItemTypesSettings } from './ItemTypes';
import { LibrarySettings } from './Library';
import { LimitsSettings } from './Limits';
import { RulesSettings } from './Rules';
import { StaffSettings } from './Staff';
import { Sip2Settings } from './Sip2';
import { ImportSettings } from './Import';
import { NoticesSettings } from './Notices';

import { NEEDS, type Area } from './access';

export { mayUseSettings } from './access';

export function Settings({ onOpenDevices }: { onOpenDevices(): void }) {
  const { t } = useTranslation();
  const permissions = useSession((s) => s.permissions);
  const areas = (Object.keys(NEEDS) as Area[]).filter((a) => permissions.includes(NEEDS[a]));
  const [area, setArea] = useState<Area>(areas[0] ?? 'library');
  return (
    <main id="main">
      <h1>{t('settings.title')}</h1>
      <nav aria-label={t('settings.areas')} className="subnav">
        {areas.map((a) => (
          <button key={a} type="button" aria-current={area === a ? 'page' : undefined} onClick={() => setArea(a)}>
            {t(`settings.area.${a}`)}
          </button>
        ))}
        <button type="button" onClick={onOpenDevices}>
          {t('settings.area.devices')}
        </button>
      </nav>
      {area === 'library' ? (
        <LibrarySettings />
      ) : area === 'branches' ? (
        <BranchesSettings />
      ) : area === 'rules' ? (
        <RulesSettings />
      ) : area === 'limits' ? (
        <LimitsSettings />
      ) : area === 'calendar' ? (
        <CalendarSettings />
      ) : area === 'categories' ? (
        <CategoriesSettings />
      ) : area === 'itemTypes' ? (
        <ItemTypesSettings />
      ) : area === 'staff' ? (
        <StaffSettings />
      ) : area === 'copyCatalogue' ? (
        <CopyCatalogueTargetsSettings />
      ) : area === 'sip2' ? (
        <Sip2Settings />
      ) : area === 'notices' ? (
        <NoticesSettings />
      ) : area === 'import' ? (
        <ImportSettings />
      ) : (
        <HubConnectionSettings />
      )}
    </main>
  );
}
