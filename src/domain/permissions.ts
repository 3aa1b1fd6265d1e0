// What each staff role may do: the desk asks it of a session (src/station/core.ts), and the hub
// asks it again of the account that signed an entry (src/hub/authority.ts).
import type { Permission, StaffRole } from './types';

export const ROLE_PERMISSIONS: Record<StaffRole, Permission[]> = {
  technician: ['circulate', 'manage_patrons'],
  supervisor: ['circulate', 'manage_patrons', 'override', 'waive_fees', 'manage_catalogue'],
  admin: ['circulate', 'manage_patrons', 'override', 'waive_fees', 'manage_catalogue', 'edit_rules', 'manage_staff', 'settings'],
};
