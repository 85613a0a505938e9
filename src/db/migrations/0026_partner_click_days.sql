-- Filled by the roll-up-click-hours job (its first run counts every click). Both keys carry the count (INCLUDE,
-- added here by hand: the schema cannot say it), so a program's ranking and a partner's or a link's total are read
-- from the index alone.
CREATE TABLE "click_partner_days" (
	"program_id" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"partner_id" text NOT NULL,
	"link_id" text NOT NULL,
	"clicks" integer NOT NULL,
	CONSTRAINT "click_partner_days_program_id_day_partner_id_link_id_pk" PRIMARY KEY("program_id","day","partner_id","link_id") INCLUDE ("clicks")
);
--> statement-breakpoint
CREATE INDEX "click_partner_days_partner_idx" ON "click_partner_days" USING btree ("partner_id","day","program_id","link_id") INCLUDE ("clicks");
