from django.core.management.base import BaseCommand

from newsletter import sender_check


class Command(BaseCommand):
    help = (
        "Look up the sending domain's SPF, DKIM and DMARC records and say what Gmail's and "
        "Outlook's rules for bulk senders still miss. Stores the result for the admin "
        "dashboard. Run it after changing DNS, and weekly (deploy/backandneck-weekly.service)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--nameserver",
            metavar="HOST[:PORT]",
            help="Ask this DNS server instead of the system's resolver.",
        )

    def handle(self, *args, nameserver=None, **options):
        check = sender_check.run_and_store(nameserver)
        if check.error:
            self.stderr.write(f"Could not look up the DNS records of {check.domain}: {check.error}")
            return
        self.stdout.write(f"Sending domain: {check.domain}")
        for finding in check.findings:
            mark = self.style.SUCCESS("ok     ") if finding["ok"] else self.style.ERROR("MISSING")
            self.stdout.write(f"{mark} {finding['name']}: {finding['message']}")
        if check.missing:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(check.missing)} thing(s) to fix before Gmail and Outlook treat this "
                    "as a trusted bulk sender."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("The domain meets the bulk-sender rules."))
