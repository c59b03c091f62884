/**
 * @module
 * The channel of a destination, bound to it: the sender asks for a request
 * and reads an answer without knowing the destination's type. The bound
 * answer also takes the destination's secrets out of its reason, the one
 * place that knows them, since a receiver may echo a token back.
 */
import type { AlertMessage } from '../alert-message.js';
import type { Destination } from '../destinations.js';
import { redacted } from './answers.js';
import type { Channel, ChannelAnswer, OutboundRequest, RequestContext } from './channel.js';
import { discord } from './discord.js';
import { slack } from './slack.js';
import { telegram } from './telegram.js';
import { webhook } from './webhook.js';

export type { ChannelAnswer, OutboundRequest, RequestContext } from './channel.js';
export { verifyWebhookSignature } from './webhook.js';

export interface DestinationChannel {
  request(message: AlertMessage, context: RequestContext): OutboundRequest;
  answer(status: number, headers: Headers, body: string): ChannelAnswer;
}

export function channelFor(destination: Destination): DestinationChannel {
  switch (destination.type) {
    case 'telegram':
      return bound(telegram, destination, [destination.botToken]);
    case 'discord':
      return bound(discord, destination, [destination.webhookUrl]);
    case 'slack':
      return bound(slack, destination, [destination.webhookUrl]);
    case 'webhook':
      return bound(webhook, destination, [destination.secret, destination.url]);
  }
}

function bound<D>(channel: Channel<D>, destination: D, secrets: string[]): DestinationChannel {
  return {
    request: (message, context) => channel.request(destination, message, context),
    answer: (status, headers, body) => redacted(channel.answer(status, headers, body), secrets),
  };
}
