// The preload: runs sandboxed before the page and exposes only the station API (see bridge.ts).
import { contextBridge, ipcRenderer } from 'electron';
import { exposeStationBridge } from './bridge';

exposeStationBridge(contextBridge, ipcRenderer);
