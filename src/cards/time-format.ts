/** Formats UTC instants for a reader: in their IANA time zone when Teams told us, else UTC. */
export class ReaderClock {
  readonly zone: string;
  private readonly format: Intl.DateTimeFormat;

  constructor(timeZone?: string | null) {
    this.zone = isValidZone(timeZone) ? timeZone : 'UTC';
    this.format = new Intl.DateTimeFormat('en-GB', {
      timeZone: this.zone,
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** "03 Dec 2026, 16:05". */
  time(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : this.format.format(date);
  }

  /** Names the zone, so a reader never has to guess. */
  label(): string {
    return this.zone === 'UTC' ? 'Times in UTC' : `Times in ${this.zone}`;
  }
}

function isValidZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "5 min", "3 h 20 min", "2 d 4 h". */
export function formatAge(fromIso: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(fromIso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
