/**
 * What the sandbox's Microsoft 365 service health holds: two services degraded (an incident on
 * Microsoft Teams, an advisory on SharePoint Online), Exchange Online operational with a recently
 * resolved issue shaped like the recorded answer G01 (test/fixtures/graph/01: a title over 100
 * characters, a post labelled Html that is plain text with an apostrophe), and the rest
 * operational. Times are relative to when the sandbox starts, so `npm run dev` always shows a
 * current picture.
 */

const HOUR = 60 * 60_000;

function ago(now: number, hours: number): string {
  return new Date(now - hours * HOUR).toISOString();
}

function post(createdDateTime: string, content: string) {
  return { createdDateTime, postType: 'Regular', description: { contentType: 'Html', content } };
}

const OPERATIONAL: Array<[id: string, service: string]> = [
  ['OSDPPlatform', 'Microsoft 365 suite'],
  ['OneDriveForBusiness', 'OneDrive for Business'],
  ['OrgLiveID', 'Microsoft Entra'],
  ['OfficeClient', 'Microsoft 365 apps'],
  ['Intune', 'Microsoft Intune'],
  ['MicrosoftDefenderXDR', 'Microsoft Defender XDR'],
  ['PowerBIcom', 'Power BI'],
  ['Planner', 'Planner'],
  ['Forms', 'Microsoft Forms'],
];

export function seedHealthOverviews(now = Date.now()): Array<Record<string, unknown>> {
  const teams = {
    service: 'Microsoft Teams',
    status: 'serviceDegradation',
    id: 'microsoftteams',
    issues: [
      {
        id: 'TM512345',
        title: 'Users may be unable to join Teams meetings from the desktop client',
        impactDescription: 'Users trying to join meetings may see an endless loading screen.',
        classification: 'incident',
        origin: 'Microsoft',
        status: 'serviceDegradation',
        service: 'Microsoft Teams',
        feature: 'Teams Components',
        featureGroup: 'Meetings',
        isResolved: false,
        startDateTime: ago(now, 2),
        endDateTime: null,
        lastModifiedDateTime: ago(now, 0.5),
        details: [],
        posts: [
          post(ago(now, 1.9), 'We&#39;re investigating reports of meeting join failures.'),
          post(
            ago(now, 0.5),
            '<p>Title: Meeting join failures</p><p>User impact: Users can&#39;t join meetings ' +
              'from the desktop client &amp; may see an endless loading screen.</p>' +
              '<p>Next update by: within 2 hours</p>',
          ),
        ],
      },
    ],
  };
  const sharePoint = {
    service: 'SharePoint Online',
    status: 'serviceDegradation',
    id: 'SharePoint',
    issues: [
      {
        id: 'SP498765',
        title: 'Some users may see delays when searching for recently uploaded files',
        impactDescription: 'Search results may not include files uploaded in the last hours.',
        classification: 'advisory',
        origin: 'Microsoft',
        status: 'serviceDegradation',
        service: 'SharePoint Online',
        feature: 'Search',
        featureGroup: 'SharePoint Features',
        isResolved: false,
        startDateTime: ago(now, 6),
        endDateTime: null,
        lastModifiedDateTime: ago(now, 3),
        details: [],
        posts: [post(ago(now, 3), 'We&#39;re reviewing search index telemetry.')],
      },
    ],
  };
  const exchange = {
    service: 'Exchange Online',
    status: 'ServiceOperational',
    id: 'Exchange',
    issues: [
      {
        id: 'EX226574',
        title:
          'Admins are unable to migrate some user mailboxes from IMAP using the Exchange admin center or PowerShell',
        impactDescription:
          'Admins attempting to migrate some user mailboxes using the Exchange admin center or PowerShell experienced failures.',
        classification: 'Advisory',
        origin: 'Microsoft',
        status: 'ServiceRestored',
        service: 'Exchange Online',
        feature: 'Tenant Administration (Provisioning, Remote PowerShell)',
        featureGroup: 'Management and Provisioning',
        isResolved: true,
        startDateTime: ago(now, 30),
        endDateTime: ago(now, 20),
        lastModifiedDateTime: ago(now, 19),
        details: [],
        posts: [
          post(
            ago(now, 22),
            "Title: Exchange Online service has login issue. We'll provide an update within 30 minutes.",
          ),
        ],
      },
    ],
  };
  const rest = OPERATIONAL.map(([id, service]) => ({
    service,
    status: 'serviceOperational',
    id,
    issues: [],
  }));
  return [exchange, teams, sharePoint, ...rest];
}
