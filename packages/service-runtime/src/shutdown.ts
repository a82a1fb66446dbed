import type { Logger } from '@esign/observability';

const FORCE_EXIT_AFTER_MS = 30_000;

/**
 * On SIGTERM or SIGINT, runs the steps in order once (stop taking work, drain, close clients) and exits 0; a step
 * that fails is logged and the rest still run. A hung drain is cut off after 30 s.
 */
export function onShutdown(logger: Logger, steps: Array<() => Promise<unknown> | void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    for (const step of steps) {
      try {
        await step();
      } catch (err) {
        logger.error({ err }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
