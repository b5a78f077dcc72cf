import type { SandboxRoute } from './sandbox-routes';

/** Graph calls of security response (Defender incidents, risky users, containment, hunting). */
export const SECURITY_ROUTES: SandboxRoute[] = [];
