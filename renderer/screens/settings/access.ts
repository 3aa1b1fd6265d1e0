// Who may open Settings, apart from the screens themselves: the desk's shell asks it on every
// sign-in, and the Settings screens are loaded only when opened (a chunk of their own).
export type Area =
  | 'library'
  | 'branches'
  | 'rules'
  | 'limits'
  | 'calendar'
  | 'categories'
  | 'itemTypes'
  | 'staff'
  | 'hub'
  | 'copyCatalogue'
  | 'sip2'
  | 'notices'
  | 'import';

/** Which settings areas a permission opens (the station checks again on every call). */
export const NEEDS: Record<Area, string> = {
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
  notices: 'settings',
  import: 'settings',
};

/** The Settings area shows to staff whose role may change any of it. */
export const mayUseSettings = (permissions: string[]) => Object.values(NEEDS).some((p) => permissions.includes(p));
