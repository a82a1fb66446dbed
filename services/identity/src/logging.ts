import type { Logger } from '@esign/observability';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

const clientOf = (ctx: KoaContextWithOIDC) => ctx.oidc?.client?.clientId;

/** One line per token request, refused or granted: ids and OAuth error codes only, never secrets or tokens. */
export function observeProvider(provider: Provider, logger: Logger): void {
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    logger.info({ clientId: clientOf(ctx) }, 'token issued');
  });
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: { error?: string; status?: number }) => {
    logger.info({ clientId: clientOf(ctx), error: err.error, status: err.status }, 'token request refused');
  });
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: Error) => {
    logger.error({ err, path: ctx.path }, 'identity provider error');
  });
}
