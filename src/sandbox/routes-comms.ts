import type { SandboxRoute } from './sandbox-routes';

/** Graph calls of stakeholder communications (sendMail, app installation for users). */
export const COMMS_ROUTES: SandboxRoute[] = [];
