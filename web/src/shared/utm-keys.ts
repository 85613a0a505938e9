/** The five standard UTM parameters, in the order the console offers them and the portal's tagged links carry them. */
export const UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;

export type UtmKey = (typeof UTM_KEYS)[number];
