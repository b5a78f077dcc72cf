import { z } from 'zod';
import type { Logger } from '../logger';
import { OBJECT_ID } from '../security/containment';
import type { EvidenceAccount } from '../security/evidence';

/**
 * Evidence types of Defender XDR alerts (microsoft.graph.security.alertEvidence subtypes),
 * lower case: Graph has been seen sending `#microsoft.graph.security.UserEvidence` too.
 */
const KNOWN_EVIDENCE = new Set(
  [
    'amazonResourceEvidence',
    'analyzedMessageEvidence',
    'azureResourceEvidence',
    'blobContainerEvidence',
    'blobEvidence',
    'cloudApplicationEvidence',
    'cloudLogonRequestEvidence',
    'cloudLogonSessionEvidence',
    'containerEvidence',
    'containerImageEvidence',
    'containerRegistryEvidence',
    'deviceEvidence',
    'dnsEvidence',
    'fileEvidence',
    'fileHashEvidence',
    'gitHubOrganizationEvidence',
    'gitHubRepoEvidence',
    'gitHubUserEvidence',
    'googleCloudResourceEvidence',
    'hostLogonSessionEvidence',
    'ioTDeviceEvidence',
    'ipEvidence',
    'kubernetesClusterEvidence',
    'kubernetesControllerEvidence',
    'kubernetesNamespaceEvidence',
    'kubernetesPodEvidence',
    'kubernetesSecretEvidence',
    'kubernetesServiceAccountEvidence',
    'kubernetesServiceEvidence',
    'mailboxConfigurationEvidence',
    'mailboxEvidence',
    'mailClusterEvidence',
    'malwareEvidence',
    'networkConnectionEvidence',
    'nicEvidence',
    'oauthApplicationEvidence',
    'processEvidence',
    'registryKeyEvidence',
    'registryValueEvidence',
    'sasTokenEvidence',
    'securityGroupEvidence',
    'servicePrincipalEvidence',
    'submissionMailEvidence',
    'urlEvidence',
    'userEvidence',
  ].map((name) => `#microsoft.graph.security.${name}`.toLowerCase()),
);

const USER_EVIDENCE = '#microsoft.graph.security.userevidence';
const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
const PLACEHOLDER_TEXT = /^(|n\/a|null|none|unknown|-)$/i;

const UserEvidence = z.object({
  userAccount: z.object({
    azureAdUserId: z.string().nullish(),
    userPrincipalName: z.string().nullish(),
    displayName: z.string().nullish(),
    accountName: z.string().nullish(),
  }),
});

/**
 * The Entra accounts named by alert evidence, once each. Other evidence types are not accounts;
 * unknown types, malformed entries and placeholder values are skipped with a log line.
 */
export function evidenceAccounts(evidence: unknown[], logger: Logger): EvidenceAccount[] {
  const accounts = new Map<string, EvidenceAccount>();
  for (const item of evidence) {
    const type =
      typeof item === 'object' && item !== null
        ? (item as Record<string, unknown>)['@odata.type']
        : undefined;
    const kind = typeof type === 'string' ? type.toLowerCase() : '';
    if (!KNOWN_EVIDENCE.has(kind)) {
      logger.info(
        { evidenceType: typeof type === 'string' ? type.slice(0, 100) : typeof type },
        'unknown evidence type skipped',
      );
      continue;
    }
    if (kind !== USER_EVIDENCE) continue;

    const parsed = UserEvidence.safeParse(item);
    if (!parsed.success) {
      logger.warn({ evidenceType: 'userEvidence' }, 'user evidence skipped: unexpected shape');
      continue;
    }
    const user = parsed.data.userAccount;
    const id = user.azureAdUserId?.trim() ?? '';
    if (!OBJECT_ID.test(id) || PLACEHOLDER_ID.test(id)) {
      logger.info({ evidenceType: 'userEvidence' }, 'user evidence skipped: no Entra object id');
      continue;
    }
    const upn = clean(user.userPrincipalName);
    const name = clean(user.displayName) || upn || clean(user.accountName) || id;
    if (!accounts.has(id.toLowerCase())) accounts.set(id.toLowerCase(), { id, upn, name });
  }
  return [...accounts.values()];
}

function clean(value: string | null | undefined): string {
  const trimmed = value?.trim() ?? '';
  return PLACEHOLDER_TEXT.test(trimmed) ? '' : trimmed;
}
