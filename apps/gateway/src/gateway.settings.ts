import { CommonSettings, type SettingsIssue } from '@gatehouse/config';

/** The gateway reads only the common settings so far. */
export class GatewaySettings extends CommonSettings {
  /** The gateway keeps no data of its own, so it needs no database in production either. */
  override securityIssues(): SettingsIssue[] {
    return super.securityIssues().filter((issue) => issue.key !== 'DATABASE_URL');
  }
}
