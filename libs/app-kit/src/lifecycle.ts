/**
 * Where an app is in its life. Once a graceful stop has begun it is draining: readiness answers
 * 503 so load balancers stop sending, while the listener still serves whatever arrives.
 */
export class Lifecycle {
  draining = false;
}
