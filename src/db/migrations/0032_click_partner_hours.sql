CREATE TABLE "click_partner_hours" (
	"partner_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"program_id" text NOT NULL,
	"clicks" integer NOT NULL,
	CONSTRAINT "click_partner_hours_partner_id_hour_program_id_pk" PRIMARY KEY("partner_id","hour","program_id")
);
