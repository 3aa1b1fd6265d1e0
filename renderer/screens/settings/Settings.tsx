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

type Area = 'library' | 'branches' | 'rules' | 'limits' | 'calendar' | 'categories' | 'itemTypes' | 'staff' | 'hub' | 'copyCatalogue' | 'sip2' | 'import';

/** Which settings areas a permission opens (the station checks again on every call). */
const NEEDS: Record<Area, string> = {
  library: 'settings',
  branches: 'settings',
  rules: 'edit_rules',
  limits: 'edit_rules',
  calendar: 'edit_rules',
  categories: 'edit_rules',
  itemTypes: 'edit_rules',
  staff: 'manage_staff',
  hub: 'settings',
  copyCatalogue: 'settings',
  sip2: 'settings',
  import: 'settings',
};

/** The Settings area shows to staff whose role may change any of it. */
export const mayUseSettings = (permissions: string[]) => Object.values(NEEDS).some((p) => permissions.includes(p));

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
      ) : area === 'import' ? (
        <ImportSettings />
      ) : (
        <HubConnectionSettings />
      )}
    </main>
  );
}
