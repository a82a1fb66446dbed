// The examples' configuration: where the API is and which merchant client they use (the dev stack's demo merchant
// unless told otherwise), validated once at start, plus whatever more a program reads.
import { SignClient } from '@esign/client';
import { z } from 'zod';

const merchant = z.object({
  ESIGN_API_URL: z.url().default('http://127.0.0.1:8080/enterprise/sign'),
  ESIGN_CLIENT_ID: z.string().min(1).default('demo-merchant'),
  ESIGN_CLIENT_SECRET: z.string().min(1).default('demo-secret'),
});

function check<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}

/** An SDK client for the configured merchant, and the program's own settings (`extra`) from the environment. */
export function loadExample<S extends z.ZodType>(extra: S, env: NodeJS.ProcessEnv = process.env) {
  const m = check(merchant, env);
  const client = new SignClient({
    baseUrl: m.ESIGN_API_URL,
    clientId: m.ESIGN_CLIENT_ID,
    clientSecret: m.ESIGN_CLIENT_SECRET,
  });
  return { env: check(extra, env), client };
}
