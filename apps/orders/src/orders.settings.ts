import { CommonSettings } from '@gatehouse/config';

/** The orders service reads only the common settings so far. */
export class OrdersSettings extends CommonSettings {}
