import type { Logger } from '../logger';
import type { IncidentService } from '../incidents/incident-service';
import type { ConversationSender, TeamDirectory } from '../incidents/ports';
import type { WarRoom } from '../incidents/war-room';

/** Everything the command and card handlers use; built once in main.ts. */
export interface CommandDeps {
  incidents: IncidentService;
  warRoom: WarRoom;
  sender: ConversationSender;
  directory: TeamDirectory;
  incidentTeamId?: string;
  logger: Logger;
  clock: () => Date;
}
