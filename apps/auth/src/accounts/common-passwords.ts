/**
 * Passwords of twelve characters or more that top the published breach corpora (shorter ones are
 * refused by length already). Compared in lower case. Extend with `PASSWORD_DENYLIST_FILE` later.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789012345', '1234567890qwerty',
  '1q2w3e4r5t6y', '1q2w3e4r5t6y7u', '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', 'qwertyuiopas', 'qwertyuiop123',
  'qwerty123456', 'qwerty1234567', 'qwertyqwerty', 'asdfghjkl123', 'asdfasdfasdf', 'zxcvbnm12345',
  'password1234', 'password12345', 'password123456', 'password123!', 'passw0rd1234', 'p@ssw0rd1234',
  'p@ssword1234', 'passwordpassword', 'mypassword123', 'changeme1234', 'changemenow!', 'letmein12345',
  'welcome12345', 'welcome123456', 'iloveyou1234', 'iloveyou12345', 'trustno1trustno1', 'football1234',
  'baseball1234', 'superman1234', 'batman123456', 'sunshine1234', 'princess1234', 'starwars1234',
  'dragon123456', 'monkey123456', 'master123456', 'shadow123456', 'administrator', 'administrator1',
  'admin1234567', 'adminadmin123', 'abc123456789', 'abcdefghijkl', 'abcdefghijklm', 'abcd1234abcd',
  'aaaaaaaaaaaa', '111111111111', '000000000000', '123123123123', '121212121212', '987654321098',
  'q1w2e3r4t5y6', 'zaq12wsxcde3', 'correcthorsebatterystaple', 'thisismypassword', 'secretpassword',
  'defaultpassword', 'temppassword1', 'summer2024!!', 'winter2024!!', 'spring2025!!', 'autumn2025!!',
]);
