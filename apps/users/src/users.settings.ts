import { ResourceServerSettings } from '@gatehouse/security';

/** The users service: a resource service, with the settings every one has. */
export class UsersSettings extends ResourceServerSettings {}
