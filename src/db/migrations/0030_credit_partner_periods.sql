CREATE TABLE "conversion_days" (
	"program_id" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"conversions" integer NOT NULL,
	CONSTRAINT "conversion_days_program_id_day_pk" PRIMARY KEY("program_id","day")
);
--> statement-breakpoint
CREATE TABLE "credit_partner_periods" (
	"program_id" text NOT NULL,
	"days" integer NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"partner_id" text NOT NULL,
	"currency" text NOT NULL,
	"leads" integer NOT NULL,
	"sales" integer NOT NULL,
	"amount_minor" bigint,
	CONSTRAINT "credit_partner_periods_pk" PRIMARY KEY("program_id","days","start","partner_id","currency")
);
