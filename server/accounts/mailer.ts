import nodemailer, { type Transport } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

/** What Lectern sends by email: only reset links, for now. */
export interface Mailer {
  /** Sends a reset link; resolves when the server took it (a failure is the caller's to log). */
  sendResetLink(to: { name: string; email: string }, url: string, expiresAt: Date): Promise<void>;
}

/**
 * The mailer, or null when Lectern has no way to send mail (no SMTP_URL and no transport passed
 * in: tests pass one through createApp). The SMTP URL may carry a password, so it is never logged.
 */
export function createMailer(config: Config, logger: Logger, transport?: Transport<unknown>): Mailer | null {
  if (!transport && !config.smtpUrl) return null;
  const transporter = transport ? nodemailer.createTransport(transport) : nodemailer.createTransport(config.smtpUrl!);
  return {
    async sendResetLink(to, url, expiresAt) {
      const hours = Math.round((expiresAt.getTime() - Date.now()) / 3_600_000);
      await transporter.sendMail({
        from: config.mailFrom,
        to: { name: to.name, address: to.email },
        subject: 'Reset your Lectern password',
        text: [
          `Hello ${to.name},`,
          '',
          'Someone (we hope you) asked to reset the password of your Lectern account. To choose a new password, open:',
          '',
          url,
          '',
          `The link works once, for about ${Math.max(1, hours)} hours. If you did not ask for it, ignore this email: your password stays as it is.`,
        ].join('\n'),
      });
      logger.info({ event: 'reset-mail-sent' }, 'password reset email sent');
    },
  };
}
