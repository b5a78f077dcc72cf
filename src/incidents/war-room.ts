import { DependencyError } from '../errors';
import type { Logger } from '../logger';
import { channelNameFor } from './channel-name';
import type { Incident, IncidentPlace, Person } from './incident';
import type { IncidentService } from './incident-service';
import type { ConversationSender, TeamDirectory } from './ports';

/** Where the incident was declared, which is where thread mode puts the card. */
export interface DeclareOrigin {
  tenantId: string;
  serviceUrl: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  /** The conversation as Teams sent it (`19:…;messageid=…` inside a thread). */
  conversationId: string;
  /** The channel id without a thread suffix, for channel conversations. */
  channelId?: string;
}

export interface WarRoomDeps {
  incidents: IncidentService;
  directory: TeamDirectory;
  sender: ConversationSender;
  /** The Entra group id of the team that gets one channel per incident; thread mode without it. */
  incidentTeamId?: string;
  renderSummary: (incident: Incident) => object;
  logger: Logger;
}

/**
 * Opens the incident's dedicated place. Channel mode creates a channel and posts the summary
 * card there; if that fails in any way, the declaration is kept and the card goes to a new
 * thread (or post) where the incident was declared, saying why.
 */
export class WarRoom {
  constructor(private readonly deps: WarRoomDeps) {}

  async open(incident: Incident, origin: DeclareOrigin, actor: Person): Promise<Incident> {
    let fallbackReason: string | undefined;

    if (this.deps.incidentTeamId) {
      try {
        const place = await this.openChannel(incident, origin, this.deps.incidentTeamId);
        return await this.record(incident, place, actor);
      } catch (error) {
        fallbackReason = describeFailure(error);
        this.deps.logger.warn(
          { incidentId: incident.id, err: error, reason: fallbackReason },
          'incident channel not created, falling back to thread mode',
        );
      }
    }

    const place = await this.openThread({ ...incident, place: null }, origin, fallbackReason);
    return this.record(incident, place, actor);
  }

  private async openChannel(incident: Incident, origin: DeclareOrigin, teamId: string) {
    const name = channelNameFor(incident.number, incident.title);
    const channel = await this.deps.directory.createChannel(teamId, name, incident.title);

    const draft: Incident = {
      ...incident,
      place: { mode: 'channel', serviceUrl: origin.serviceUrl, conversationId: channel.id },
    };
    const posted = await this.deps.sender.startThread(
      { serviceUrl: origin.serviceUrl, channelId: channel.id, tenantId: origin.tenantId },
      this.deps.renderSummary(draft),
    );
    const place: IncidentPlace = {
      mode: 'channel',
      serviceUrl: origin.serviceUrl,
      conversationId: posted.conversationId,
      channelId: channel.id,
      summaryActivityId: posted.activityId,
      webUrl: channel.webUrl,
    };
    return place;
  }

  private async openThread(incident: Incident, origin: DeclareOrigin, fallbackReason?: string) {
    const card = this.deps.renderSummary({
      ...incident,
      place: {
        mode: 'thread',
        serviceUrl: origin.serviceUrl,
        conversationId: origin.conversationId,
        fallbackReason,
      },
    });

    if (origin.conversationType === 'channel' && origin.channelId) {
      const posted = await this.deps.sender.startThread(
        { serviceUrl: origin.serviceUrl, channelId: origin.channelId, tenantId: origin.tenantId },
        card,
      );
      const place: IncidentPlace = {
        mode: 'thread',
        serviceUrl: origin.serviceUrl,
        conversationId: posted.conversationId,
        channelId: origin.channelId,
        summaryActivityId: posted.activityId,
        fallbackReason,
      };
      return place;
    }

    const posted = await this.deps.sender.send(
      { serviceUrl: origin.serviceUrl, conversationId: origin.conversationId },
      { card },
    );
    const place: IncidentPlace = {
      mode: 'chat',
      serviceUrl: origin.serviceUrl,
      conversationId: origin.conversationId,
      summaryActivityId: posted.activityId,
      fallbackReason,
    };
    return place;
  }

  private async record(incident: Incident, place: IncidentPlace, actor: Person) {
    const result = await this.deps.incidents.setPlace(
      incident.id,
      place,
      actor,
      `place:${incident.id}`,
    );
    return result.incident;
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof DependencyError) {
    if (error.details.status === 403) return 'the bot may not create channels in the incident team';
    if (error.details.status === 404) return 'the incident team was not found';
    if (error.details.status === 400) return 'Teams refused the channel name';
    return `creating the channel failed (${error.dependency} ${error.details.status ?? 'error'})`;
  }
  return 'creating the channel failed';
}
