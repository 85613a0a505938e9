/**
 * The code as the checkout sent it, without the spaces a customer typed or a billing form kept around it (codes
 * themselves never hold spaces); a blank code is no code.
 */
export const presentedCouponCode = (code: string | undefined): string | undefined => code?.trim() || undefined;
