import type { IdentityGraph } from './ports';

/**
 * PROTECTED_ACCOUNTS (break-glass administrators) by UPN or object id. UPNs are resolved to object
 * ids once, so that a button naming a protected account by id is refused before the bot looks
 * that account up or acts on it. A failed resolution is tried again next time; the UPN itself
 * still protects the account whenever the account's UPN is known.
 */
export class ProtectedAccounts {
  private readonly resolved = new Map<string, string>();

  constructor(
    private readonly entries: readonly string[],
    private readonly identity: IdentityGraph,
  ) {}

  /** Lower-case ids and UPNs to refuse. */
  async keys(): Promise<string[]> {
    const upns = this.entries.filter((entry) => entry.includes('@') && !this.resolved.has(entry));
    await Promise.all(
      upns.map(async (upn) => {
        const account = await this.identity.getAccount(upn).catch(() => undefined);
        if (account) this.resolved.set(upn, account.id.toLowerCase());
      }),
    );
    return [...this.entries, ...this.resolved.values()];
  }
}
