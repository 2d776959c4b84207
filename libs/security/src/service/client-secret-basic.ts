/**
 * The `Authorization` value of client_secret_basic (RFC 6749 section 2.3.1): id and secret are
 * form-urlencoded before they are joined, so a colon or a space in either survives the trip.
 */
export function clientSecretBasic(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}
