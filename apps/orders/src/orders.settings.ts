import { ResourceServerSettings } from '@gatehouse/security';

/** The orders service: a resource service, with the settings every one has. */
export class OrdersSettings extends ResourceServerSettings {}
