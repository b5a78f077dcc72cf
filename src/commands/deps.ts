import type { Logger } from '../logger';
import type { Incident } from '../incidents/incident';
import type { IncidentService } from '../incidents/incident-service';
import type { ConversationSender, TeamDirectory } from '../incidents/ports';
import type { WarRoom } from '../incidents/war-room';
import type { TurnInfo } from './turn';

/** Everything the command and card handlers use; built once in main.ts. */
export interface CommandDeps {
  incidents: IncidentService;
  warRoom: WarRoom;
  sender: ConversationSender;
  directory: TeamDirectory;
  incidentTeamId?: string;
  logger: Logger;
  clock: () => Date;
  /**
   * Stakeholder feedback counts for the summary card, when the feedback module runs. Without
   * `fresh`, counts read a few seconds ago may be used again (see FeedbackService.summaryLine).
   */
  summaryFeedback?: (
    incidentId: string,
    options?: { fresh?: boolean },
  ) => Promise<string | undefined>;
  /** Runs after a status change is stored (the resolve card of security response). */
  onStatusChanged?: (turn: TurnInfo, incident: Incident) => Promise<void>;
  /**
   * `declare … defender:<id>`: links the Defender XDR incident once declared (security module).
   * Never throws; resolves to a line for the declarer when the link did not go as asked.
   */
  linkDefender?: (
    turn: TurnInfo,
    incident: Incident,
    defenderIncidentId: string,
  ) => Promise<string | undefined>;
}
