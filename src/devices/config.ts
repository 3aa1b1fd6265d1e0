// Device settings are part of the station API (the settings screen edits them), so their schema
// lives with the contract; the device code uses it from here.
export * from '../api/devices-config';
