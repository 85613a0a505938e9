ALTER TABLE "clicks" ADD COLUMN "ad_network" text;--> statement-breakpoint
ALTER TABLE "clicks" ADD COLUMN "ad_click_param" text;