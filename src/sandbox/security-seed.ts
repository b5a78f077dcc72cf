import { SANDBOX_TENANT_ID, SANDBOX_USERS } from './seed-tenant';

/**
 * What the sandbox's Defender XDR and Entra ID Protection hold. The Defender incident, its
 * first alert, the deleted risky user and the hunting result are the recorded answers in
 * test/fixtures/graph (03, 05, 07) with their quirks kept: an alert whose incidentWebUrl points
 * at another incident, "&" in the title, U+FFFD in text, 7-digit fractions, PascalCase schema.
 * Added to them: an alert with userEvidence for a sandbox user, and risky sandbox users.
 */

export const SANDBOX_DEFENDER_INCIDENT_ID = '2972395';

const firstAlert = {
  '@odata.type': '#microsoft.graph.security.alert',
  id: 'da637551227677560813_-961444813',
  incidentId: '28282',
  status: 'new',
  severity: 'low',
  title: 'Suspicious execution of hidden file',
  recommendedActions: 'Collect artifacts and determine scope\n\uFFFD\tReview the machine timeline',
  category: 'DefenseEvasion',
  assignedTo: null,
  alertWebUrl:
    'https://security.microsoft.com/alerts/da637551227677560813_-961444813?tid=42f0761e-449a-4cd8-bb7c-0ae58fff2cd9',
  incidentWebUrl:
    'https://security.microsoft.com/incidents/28282?tid=42f0761e-449a-4cd8-bb7c-0ae58fff2cd9',
  mitreTechniques: ['T1564.001'],
  createdDateTime: '2021-04-27T12:19:27.7211305Z',
  firstActivityDateTime: '2021-04-26T07:45:50.116Z',
  lastActivityDateTime: '2021-05-02T07:56:58.222Z',
  evidence: [
    {
      '@odata.type': '#microsoft.graph.security.deviceEvidence',
      deviceDnsName: 'tempDns',
      roles: ['compromised'],
    },
    {
      '@odata.type': '#microsoft.graph.security.processEvidence',
      processId: 4780,
      processCreationDateTime: '2021-08-12T12:43:19.0772577Z',
      userAccount: { accountName: 'SYSTEM', azureAdUserId: null, userPrincipalName: null },
    },
    {
      '@odata.type': '#microsoft.graph.security.registryKeyEvidence',
      registryKey: 'SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER',
    },
  ],
};

const inboxRuleAlert = {
  '@odata.type': '#microsoft.graph.security.alert',
  id: 'sandbox-alert-inbox-rule',
  incidentId: SANDBOX_DEFENDER_INCIDENT_ID,
  status: 'new',
  severity: 'High',
  title: 'Suspicious inbox manipulation rule',
  mitreTechniques: ['T1564.008', 'T1114.003'],
  alertWebUrl: 'https://security.microsoft.com/alerts/sandbox-alert-inbox-rule',
  firstActivityDateTime: '2021-04-25T10:00:00.0000000Z',
  lastActivityDateTime: '2021-04-25T10:05:00.0000000Z',
  evidence: [
    {
      '@odata.type': '#microsoft.graph.security.UserEvidence',
      roles: ['compromised'],
      userAccount: {
        accountName: 'quinn.fictional',
        azureAdUserId: SANDBOX_USERS.quinn.id,
        userPrincipalName: SANDBOX_USERS.quinn.userPrincipalName,
        displayName: SANDBOX_USERS.quinn.displayName,
      },
    },
    {
      '@odata.type': '#microsoft.graph.security.userEvidence',
      userAccount: { accountName: 'n/a', azureAdUserId: '00000000-0000-0000-0000-000000000000' },
    },
    { '@odata.type': '#microsoft.graph.security.futureEvidenceType', value: 42 },
  ],
};

export function seedDefenderIncidents(): Record<string, unknown>[] {
  return [
    {
      '@odata.type': '#microsoft.graph.security.incident',
      id: SANDBOX_DEFENDER_INCIDENT_ID,
      incidentWebUrl: `https://security.microsoft.com/incidents/${SANDBOX_DEFENDER_INCIDENT_ID}?tid=bd347627-01e4-42a1-bc39-fe4141338256`,
      tenantId: SANDBOX_TENANT_ID,
      displayName:
        'Multi-stage incident involving Initial access & Command and control on multiple endpoints reported by multiple sources',
      createdDateTime: '2021-08-13T08:43:35.5533333Z',
      lastUpdateDateTime: '2021-09-30T09:35:45.1133333Z',
      assignedTo: SANDBOX_USERS.avery.userPrincipalName,
      classification: 'truePositive',
      determination: 'multiStagedAttack',
      status: 'active',
      severity: 'medium',
      alerts: [firstAlert, inboxRuleAlert],
    },
  ];
}

export interface SandboxRiskyUser {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  riskLevel: string;
  riskState: string;
  riskDetail: string;
  riskLastUpdatedDateTime: string;
  isDeleted: boolean;
  isProcessing: boolean;
}

function risky(
  user: { id: string; userPrincipalName: string; displayName: string },
  riskLevel: string,
): SandboxRiskyUser {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    riskLevel,
    riskState: 'atRisk',
    riskDetail: 'none',
    riskLastUpdatedDateTime: new Date().toISOString(),
    isDeleted: false,
    isProcessing: false,
  };
}

export function seedRiskyUsers(): SandboxRiskyUser[] {
  return [
    risky(SANDBOX_USERS.quinn, 'high'),
    risky(SANDBOX_USERS.casey, 'Medium'),
    risky(SANDBOX_USERS.riley, 'low'),
    // Fixture 05: deleted, still processing, stale. Its id is not a user of the tenant any more.
    {
      id: '2407fdf7-4997-4765-9011-e9b9931e2107',
      riskLastUpdatedDateTime: '2016-01-29T20:03:57.7872426Z',
      isProcessing: true,
      isDeleted: true,
      riskDetail: 'adminConfirmedSigninCompromised',
      riskLevel: 'high',
      riskState: 'atRisk',
      userDisplayName: 'Riley Placeholder',
      userPrincipalName: 'riley.placeholder@contoso.example',
    },
  ];
}

/** Fixture 07: the schema in PascalCase, timestamps with 7-digit fractions. */
export function seedHuntingResult() {
  return {
    schema: [
      { Name: 'Timestamp', Type: 'DateTime' },
      { Name: 'FileName', Type: 'String' },
      { Name: 'InitiatingProcessFileName', Type: 'String' },
    ],
    results: [
      {
        Timestamp: '2020-08-30T06:38:35.7664356Z',
        FileName: 'conhost.exe',
        InitiatingProcessFileName: 'powershell.exe',
      },
      {
        Timestamp: '2020-08-30T06:38:30.5163363Z',
        FileName: 'conhost.exe',
        InitiatingProcessFileName: 'powershell.exe',
      },
    ],
  };
}
