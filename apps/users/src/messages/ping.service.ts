import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { PingReply } from '@gatehouse/contracts';

@Injectable()
export class PingService {
  // Lets a caller see which instance of a queue group answered.
  private readonly instance = randomUUID();

  reply(): PingReply {
    return { service: 'users', instance: this.instance, at: new Date().toISOString() };
  }
}
