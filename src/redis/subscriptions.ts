import type { RedisSubscriberLike } from './client';
import { runCommand } from './run-command';

/**
 * The channels one store listens to on its subscriber connection: each channel is subscribed once
 * (and stays subscribed: a process has few cache keys), and every message wakes the listeners of
 * its channel. A failed SUBSCRIBE is retried by the next listener.
 */
export class Subscriptions {
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly subscribed = new Map<string, Promise<unknown>>();
  private attached = false;

  constructor(
    private readonly subscriber: RedisSubscriberLike,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves, once the channel is subscribed, to the function that removes `listener`. */
  async listen(channel: string, listener: () => void): Promise<() => void> {
    if (!this.attached) {
      this.attached = true;
      this.subscriber.on('message', (name: string) => {
        for (const wake of this.listeners.get(name) ?? []) wake();
      });
    }
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    const remove = () => void set.delete(listener);
    let subscribing = this.subscribed.get(channel);
    if (!subscribing) {
      subscribing = runCommand('SUBSCRIBE', { timeoutMs: this.timeoutMs }, () => this.subscriber.subscribe(channel));
      this.subscribed.set(channel, subscribing);
    }
    try {
      await subscribing;
    } catch (error) {
      if (this.subscribed.get(channel) === subscribing) this.subscribed.delete(channel);
      remove();
      throw error;
    }
    return remove;
  }
}
