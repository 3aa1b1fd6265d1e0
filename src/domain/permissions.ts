// What each staff role may do: the desk asks it of a session (src/station/core.ts), and the hub
// asks it again of the account that signed an entry (src/hub/authority.ts).
import type { Permission, StaffRole } from './types';

export const ROLE_PERMISSIONS: Record<StaffRole, Permission[]> = {
  technician: ['circulate', 'manage_patrons'],
  supervisor: ['circulate', 'manage_patrons', 'override', 'waive_fees', 'manage_catalogue'],
  admin: [
    'circulate',
    'manage_patrons',
    'override',
    'waive_fees',
    'manage_catalogue',
    'edit_rules',
    'manage_staff',
    'settings',
  ],
};

/** The permissions that library-wide configuration (staff, settings, branches, calendar, rules) asks for. */
const CONFIGURATION_PERMISSIONS: Permission[] = ['settings', 'edit_rules', 'manage_staff'];

/**
 * May this role change the library's configuration? Today only an administrator's does; the hub
 * asks it of the account that signed a configuration entry (src/hub/policy.ts), from this table,
 * so that a role given these permissions at the desk is one at the hub too. A role the table does
 * not know (a row written by a newer station) may not.
 */
export function mayConfigureLibrary(role: string): boolean {
  const granted = (ROLE_PERMISSIONS as Record<string, Permission[] | undefined>)[role];
  return !!granted && CONFIGURATION_PERMISSIONS.every((p) => granted.includes(p));
}
