from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format

from newsletter import compose, sending, tasks
from newsletter.checklist import check_issue
from newsletter.models import Issue, Subscriber, WeeklyRun


class Command(BaseCommand):
    help = (
        "The weekly newsletter run: compose this week's issue from the posts published since the "
        "last one (if there is no issue for this week yet), then send every issue that is due, "
        "resuming any interrupted send. Running it again sends nothing twice. An issue whose "
        "pre-send checklist has errors is held back (and reported) unless --send-anyway is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen; send and change nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=sending.BATCH_SIZE,
            help="Deliveries a sender claims at a time (default: %(default)s).",
        )
        parser.add_argument(
            "--scheduled",
            action="store_true",
            help=(
                "Follow the admin's sending settings (for a timer that runs this hourly): "
                "compose the issue its lead time ahead and start it at its day and time, "
                "unless an editor holds it; then go on with the sends under way."
            ),
        )
        parser.add_argument(
            "--send-anyway",
            action="store_true",
            help="Send this week's issue even if its pre-send checklist has errors.",
        )

    def handle(self, *, dry_run, batch_size, send_anyway, scheduled, **options):
        if dry_run:
            return self.dry_run()
        run = WeeklyRun.objects.create()
        if scheduled:
            planned = compose.run_schedule()
            run.composed_issue = planned.composed
            return self.send_under_way(run, planned.notes, batch_size, planned.composed)
        notes = []
        composed = Issue.objects.compose_weekly()
        if composed:
            run.composed_issue = composed
            notes.append(f"Composed “{composed.subject}” ({composed.post_links.count()} posts).")
        elif not Issue.objects.for_week(timezone.now()).exists():
            notes.append(f"Nothing new since {self.last_issue_date()}: no issue this week.")
        # This week's issue, just composed or held back by an earlier run, if it is still a draft.
        this_week = Issue.objects.for_week(timezone.now()).filter(status=Issue.Status.DRAFT)
        waiting = composed or this_week.first()
        if waiting and (note := self.start_if_ready(waiting, send_anyway)):
            notes.append(note)
        return self.send_under_way(run, notes, batch_size, composed)

    def send_under_way(self, run, notes, batch_size, composed):
        total = sending.SendReport()
        try:
            for issue in Issue.objects.sending().order_by("send_started_at"):
                report = sending.send_issue(
                    issue, batch_size=batch_size, progress=self.progress_bar(issue)
                )
                total.add(report)
                retry_at = tasks.schedule_retries(issue)
                notes.append(self.describe(issue, report, retry_at))
        except sending.MailServerUnavailable as error:
            self.finish(run, total, notes, error=str(error))
            raise CommandError(str(error)) from error
        if not total.handled and not composed and len(notes) == 0:
            notes.append("Nothing to send: this week’s issue has gone out.")
        self.finish(run, total, notes)
        self.stdout.write(" ".join(notes))

    def dry_run(self):
        if Issue.objects.for_week(timezone.now()).exists():
            self.stdout.write("This week already has an issue; none would be composed.")
        else:
            posts = list(Issue.objects.weekly_posts())
            if posts:
                self.stdout.write(f"Would compose an issue with {len(posts)} posts:")
                for post in posts:
                    self.stdout.write(f"  - {post.title}")
                recipients = Subscriber.objects.confirmed().count()
                self.stdout.write(f"It would go to {recipients} confirmed subscribers.")
            else:
                self.stdout.write(f"Nothing new since {self.last_issue_date()}: nothing to send.")
        for issue in Issue.objects.sending():
            due = issue.deliveries.due().count()
            self.stdout.write(f"Would resume “{issue.subject}”: {due} deliveries due.")
        self.stdout.write("Dry run: nothing was sent or changed.")

    def start_if_ready(self, issue, send_anyway):
        """Start sending the issue unless its checklist has errors; if so, say what happened."""
        if issue.held and not send_anyway:
            return (
                f"“{issue.subject}” is held by an editor: release it in the admin, or run "
                "again with --send-anyway."
            )
        errors = " ".join(check.message for check in check_issue(issue).errors)
        if not errors:
            issue.start_sending()
            return None
        if send_anyway:
            issue.start_sending()
            return f"Sending despite its checklist’s errors (--send-anyway): {errors}"
        return (
            f"Held back “{issue.subject}”, because its checklist has errors: {errors} "
            "Fix them and send it from the admin, or run again with --send-anyway."
        )

    def progress_bar(self, issue):
        """A progress bar on a terminal; nothing in cron's mail."""
        if not self.stdout.isatty():
            return None
        total = issue.deliveries.due().count() or 1
        width = 30

        def show(report):
            done = min(report.handled, total)
            filled = width * done // total
            bar = "█" * filled + "·" * (width - filled)
            self.stdout.write(f"\r{issue.subject[:40]:40} {bar} {done}/{total}", ending="")
            self.stdout.flush()
            if done == total:
                self.stdout.write("")

        return show

    def describe(self, issue, report, retry_at):
        issue.refresh_from_db()
        text = (
            f"“{issue.subject}”: {report.sent} sent, {report.failed} failed, "
            f"{report.deferred} to retry, {report.skipped} skipped"
        )
        if report.stopped == "paused":
            return text + f"; paused, because {issue.pause_reason}. Resume it in the admin."
        if report.stopped:
            why = "outside the sending window" if report.stopped == "window" else "at today’s cap"
            when = date_format(timezone.localtime(report.resume_at), "j M H:i")
            return text + f"; stopped {why}, goes on from {when}."
        if issue.status == Issue.Status.SENT:
            return text + f"; complete ({issue.sent_count} of {issue.recipients_count})."
        when = date_format(timezone.localtime(retry_at), "j M H:i") if retry_at else "the next run"
        return text + f"; retries from {when}."

    def last_issue_date(self):
        last = Issue.objects.last_started()
        if last is None:
            return "last week"
        return "the last issue on " + date_format(timezone.localtime(last.send_started_at), "j M Y")

    def finish(self, run, total, notes, error=""):
        run.finished_at = timezone.now()
        run.sent, run.failed = total.sent, total.failed
        run.summary, run.error = " ".join(notes), error
        run.save()
