"""A fresh saved-reply repository in the layout of the usability review (issue 13): Zendesk and
Help Scout exports, Markdown replies (one per file, and a file of several), an HTML email, the
team's README and a tonecheck.toml. Every reply was written for this benchmark (no real text).

    python benchmarks/first-run/make_repo.py DEST

Some replies carry a problem on purpose (PLANTED lists them); the others are written to be clean.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _macro(macro_id: int, title: str, text: str, *, public: bool = True, html: bool = False, array: bool = False):
    value: object = ["channel:all", text] if array else text
    actions: list[dict[str, object]] = [{"field": "comment_value_html" if html else "comment_value", "value": value}]
    if not public:
        actions.append({"field": "comment_mode_is_public", "value": "false"})
    return {"id": macro_id, "title": title, "active": True, "actions": actions}


ZENDESK = {
    "macros": [
        _macro(
            4100001,
            "Shipping::Where is my parcel",
            "Hi {{ticket.requester.first_name}},\n\nYour parcel left our warehouse on "
            "{{ticket.ticket_field_5501}}. The tracking link is {{ticket.ticket_field_5502}}.\n\n"
            "If it hasn't moved in three days, reply here and I'll chase the carrier.\n\n"
            "Best,\n{{current_user.first_name}}",
        ),
        _macro(
            4100002,
            "Account::Password reset",
            "<p>Hi {{ticket.requester.first_name}},</p><p>I've sent a reset link to "
            "{{ticket.requester.email}}. Obviously, you need to open it within an hour.</p>"
            "<p>Let me know if the link doesn't arrive.</p><p>Thanks,<br>{{current_user.first_name}}</p>",
            html=True,
        ),
        _macro(
            4100003,
            "Escalation::Internal handover",
            "Handing over to L2. Repro steps and the HAR file are in the JIRA ticket; SLA breach at 5pm, treat as P1.",
            public=False,
        ),
        _macro(
            4100004,
            "Billing::Invoice copy",
            "Hi {{ticket.requester.frist_name}},\n\nI've attached a copy of your March invoice.\n\n"
            "Let me know if you need it in another format.\n\nBest,\n{{current_user.first_name}}",
        ),
        _macro(
            4100005,
            "Billing::Plan change",
            "Hi [Customer Name],\n\nYour plan is now Team plan, and the new price starts with your next "
            "invoice.\n\nIf you have any questions, just reply to this email.\n\nBest,\n"
            "{{current_user.first_name}}",
        ),
        _macro(
            4100006,
            "Bugs::Known issue",
            "Hi {{ticket.requester.first_name}},\n\nThanks for reporting the export error. Our engineers "
            "know about it and are working on a fix.\n\n{{dc.known_issue_footer}}",
            array=True,
        ),
        _macro(
            4100007,
            "Refunds::Outside window",
            "Hi {{ticket.requester.first_name}},\n\nAs I said before, refunds are only possible within 30 "
            "days. Your order is from January, so you will have to keep the item.\n\nBest,\n"
            "{{current_user.first_name}}",
        ),
    ],
    "next_page": None,
    "count": 7,
}

HELPSCOUT = [
    {
        "id": 9001,
        "name": "DNS setup",
        "preview": "To use your own domain",
        "text": "<p>Hi {%customer.firstName,fallback=there%},</p><p>To use your own domain, add the record "
        "shown under Settings &gt; Domains at your domain provider. Changes can take a few hours to show."
        "</p><p>Actually, most teams finish this in ten minutes.</p><p>If anything looks different, send "
        "me a screenshot and I'll walk you through it.</p><p>Cheers,<br>{%user.firstName%}</p>",
    },
    {
        "id": 9002,
        "name": "Feature request logged",
        "preview": "Thanks for the idea",
        "text": "<p>Hi {%customer.firstName,fallback=there%},</p><p>Thanks for the idea! I've passed it to "
        "our product team, and I'll let you know when they decide.</p><p>Best,<br>{%user.firstName%}</p>",
    },
    {
        "id": 9003,
        "name": "Repeated question",
        "preview": "Per my last email",
        "text": "<p>Hi {%customer.firstName,fallback=there%},</p><p>Per my last email, the export button is "
        "at the top right of the report page.</p><p>Let me know if you can't find it.</p>"
        "<p>Best,<br>{%user.firstName%}</p>",
    },
    {
        "id": 9004,
        "name": "Internal: VIP flag",
        "type": "note",
        "preview": "VIP",
        "text": "<p>VIP account - loop in the AM before replying, see the CRM record.</p>",
    },
]

REPLIES = {
    "replies/welcome.md": "---\ntitle: Welcome\ntags: [onboarding]\n---\n\nHi {{ticket.requester.first_name}},\n\n"
    "Welcome aboard! Your workspace is ready, and your first invoice arrives in 14 days.\n\n"
    "If you'd like a quick tour, reply with a time that suits you.\n\nBest,\n{{current_user.first_name}}\n",
    "replies/two-factor.md": "---\ntitle: Two-factor authentication\n---\n\nHi {{ticket.requester.first_name}},\n\n"
    "You can turn on two-factor authentication (2FA) under Profile > Security. You don't have to do "
    "anything else.\n\nNo problem if you get stuck: reply here and I'll help.\n\nBest,\n"
    "{{current_user.first_name}}\n",
    "replies/late-refund.md": "---\ntitle: Late refund\n---\n\nHi {{ticket.requester.first_name}},\n\n"
    "Your refund went out on Monday. Banks usually take three to five days to show it.\n\nThanks,\n"
    "{{current_user.first_name}}\n",
    "replies/suspension.md": "---\ntitle: Account suspension warning\n---\n\nHi {{ticket.requester.first_name}},\n\n"
    "We noticed unusual sign-ins on your account. To keep it safe, please confirm your email address "
    "with the link we sent today.\n\nIf you didn't sign in from a new device, reply to this email and "
    "we'll secure the account together.\n\nBest,\n{{current_user.first_name}}\n",
    "replies/billing.md": "# Billing replies\n\nSaved replies for the billing queue. Keep amounts in the "
    "customer's currency.\n\n## Card declined\n\nHi {{ticket.requester.first_name}},\n\nYour card was "
    "declined when we tried to renew your plan. You can add another card under Billing, and we'll "
    "retry the payment straight away.\n\nLet me know if you need a hand with it.\n\nBest,\n"
    "{{current_user.first_name}}\n\n## VAT number\n\nHi {{ticket.requester.first_name}},\n\nI've added "
    "your VAT number to the account. It will show on every invoice from now on.\n\nThanks,\n"
    "{{current_user.first_name}}\n\n## Upgrade pricing\n\nHi {{ticket.requester.first_name}},\n\n"
    "Upgrading mid-month is fine: the prorated charges are calculated from today. No, we can't "
    "refund the old plan.\n\nIf you'd like the exact figure first, reply and I'll send it.\n\nBest,\n"
    "{{current_user.first_name}}\n",
}

WELCOME_EMAIL = """<!DOCTYPE html>
<html>
<head><style>body { font-family: sans-serif; } .footer { color: #888; }</style></head>
<body>
<table role="presentation" width="100%"><tr><td>
<p>Hi {{ticket.requester.first_name}},</p>
<p>Thanks for joining Acme. Your account is ready and your team can sign in now.</p>
<!-- tonecheck: ignore NEG010 -- the card scheme requires this wording -->
<p>You must confirm your billing address before the first invoice.</p>
<p>Need a hand? Reply to this email and we'll help you set things up.</p>
<p>Cheers,<br>The Acme team</p>
</td></tr>
<tr><td class="footer">
<p>You are receiving this email because you signed up for Acme.
<a href="{{unsubscribe_url}}">Unsubscribe</a> or manage your preferences.</p>
<p>Acme Ltd, 1 Example Street, Exampletown</p>
</td></tr></table>
</body>
</html>
"""

TEAM_README = """# Support macros

This repository holds our saved replies: the Zendesk export, the Help Scout saved replies, and
Markdown drafts. Edit a macro, open a PR and ask for a review. Don't mention internal tools (the
JIRA board, L2, the RCA doc) in customer replies, and never start a reply with "Per my last email".
"""

CONFIG = """helpdesk = ["zendesk", "helpscout"]
glossary = ["Acme", "Team plan"]
known-variables = [
  "ticket.requester.first_name", "ticket.requester.email", "current_user.first_name",
  "ticket.ticket_field_*", "dc.*", "customer.firstName", "user.firstName", "unsubscribe_url",
]
"""

FILES: dict[str, str] = {
    "zendesk/macros.json": json.dumps(ZENDESK, indent=2) + "\n",
    "helpscout/saved-replies.json": json.dumps(HELPSCOUT, indent=2) + "\n",
    **REPLIES,
    "templates/welcome-email.html": WELCOME_EMAIL,
    "README.md": TEAM_README,
    "tonecheck.toml": CONFIG,
}

# the problems put in on purpose (file, reply, what), for the reader of the judged findings
PLANTED = [
    ("zendesk/macros.json", "Account::Password reset", "Obviously (condescension)"),
    ("zendesk/macros.json", "Billing::Invoice copy", "frist_name typo"),
    ("zendesk/macros.json", "Billing::Plan change", "[Customer Name] fill-in marker"),
    ("zendesk/macros.json", "Refunds::Outside window", "As I said; you will have to; no closing"),
    ("helpscout/saved-replies.json", "DNS setup", "Actually, (correcting opener)"),
    ("helpscout/saved-replies.json", "Repeated question", "Per my last email"),
    ("replies/late-refund.md", None, "no closing: ends on a bare sign-off"),
    ("replies/billing.md", "VAT number", "no closing"),
    ("replies/billing.md", "Upgrade pricing", "No, we can't refund (refusal); prorated (billing jargon)"),
]


def write(dest: Path, *, with_config: bool = True) -> Path:
    for name, text in FILES.items():
        if name == "tonecheck.toml" and not with_config:
            continue
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_repo.py DEST")
    print(write(Path(sys.argv[1])))
