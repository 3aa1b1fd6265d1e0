// Opens and closes the station's SIP2 port as its setting and accounts say: listening only while
// SIP2 is on (Settings › SIP2, or `--sip2-port` on the command line) and this station has at least
// one active SIP2 account of its branch. A fresh, unconfigured station started with --sip2-port
// therefore opens the port once it is set up and has an account. It follows changes made at the
// desk at once, and those that arrive by sync within a few seconds.
import { createI18n } from '../../i18n';
import type { StationServices } from '../../station/services';
import { createSip2Server, type Sip2Server, type Sip2ServerOptions } from './server';
import type { Translators } from './session';

export interface Sip2ListenerOptions extends Sip2ServerOptions {
  /** From the command line: SIP2 on, at this port (0: any free port), whatever the desk's setting. */
  port?: number | null;
  host?: string | null;
  /** How often to look again for accounts that came by sync (ms). */
  recheckMs?: number;
}

export interface Sip2Listener {
  /** The port listened on now, or null. */
  port(): number | null;
  /** Looks at the setting and the accounts again now; resolves when the port is as they say. */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

export async function startSip2Listener(
  services: StationServices,
  options: Sip2ListenerOptions = {},
): Promise<Sip2Listener> {
  const translators: Translators = { en: await createI18n('en'), es: await createI18n('es') };
  let current: { server: Sip2Server; host: string; port: number; asked: number } | null = null;
  let closed = false;
  let lastError: string | null = null;
  let chain = Promise.resolve();

  const wanted = (): { host: string; port: number } | null => {
    if (!services.admin.isConfigured()) return null;
    const settings = services.sip2.settings();
    const fromCli = options.port !== undefined && options.port !== null;
    if (!fromCli && !settings.enabled) return null;
    if (services.sip2.activeHere().length === 0) return null;
    return { host: options.host ?? settings.host, port: fromCli ? (options.port as number) : settings.port };
  };

  const report = () =>
    services.sip2.reportState({
      listening: current !== null,
      port: current?.port ?? null,
      host: current?.host ?? null,
      connections: current?.server.connections() ?? 0,
      error: lastError,
    });

  const apply = async () => {
    const want = closed ? null : wanted();
    if (current && (!want || want.host !== current.host || want.port !== current.asked)) {
      await current.server.close();
      current = null;
    }
    if (want && !current) {
      const server = createSip2Server(services, translators, options);
      try {
        await new Promise<void>((resolve, reject) => {
          server.server.once('error', reject);
          server.server.listen(want.port, want.host, () => {
            server.server.off('error', reject);
            resolve();
          });
        });
        const address = server.server.address();
        const port = typeof address === 'object' && address ? address.port : want.port;
        current = { server, host: want.host, port, asked: want.port };
        lastError = null;
        console.warn(`Circa station: SIP2 on ${want.host}:${port}`);
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        console.error(`Circa station: the SIP2 port ${want.host}:${want.port} could not be opened: ${lastError}`);
      }
    }
    report();
  };

  const reconcile = () => (chain = chain.then(apply, apply));
  const stopListening = services.sip2.onChange(() => void reconcile());
  const timer = setInterval(() => {
    if (!closed) void reconcile();
  }, options.recheckMs ?? 5_000);
  timer.unref();
  await reconcile();

  return {
    port: () => current?.port ?? null,
    reconcile,
    async close() {
      closed = true;
      clearInterval(timer);
      stopListening();
      await reconcile();
    },
  };
}
