// The only bridge between the page and the app: one object, `window.circa`, with a call and an
// event subscription. Nothing else of Node or Electron reaches the renderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('circa', {
  call: (name: string, input: unknown, token: string | null) => ipcRenderer.invoke('circa:call', name, input, token),
  subscribe: (listener: (event: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on('circa:event', handler);
    return () => ipcRenderer.removeListener('circa:event', handler);
  },
});
