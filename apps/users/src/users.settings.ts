import { CommonSettings } from '@gatehouse/config';

/** The users service reads only the common settings so far. */
export class UsersSettings extends CommonSettings {}
