# The seven tasks of issue 17 written with Gr4vy's official Python SDK (`pip install gr4vy`), as the
# yardstick for `templates/pinned/examples/tour.rs`: the same program, call for call.
# `xtask/tests/tour_length.rs` compares their lengths.
#
#   GR4VY_ID=example GR4VY_PRIVATE_KEY=private_key.pem GR4VY_MERCHANT_ACCOUNT_ID=default python tour.py
import json
import os

from gr4vy import Gr4vy, auth, errors
from gr4vy.webhooks import verify_webhook


def run(client: Gr4vy, private_key: str) -> None:
    # Take a card payment, capture it, refund part of it.
    card = {"method": "card", "number": "4111111111111111", "expiration_date": "12/30"}
    transaction = client.transactions.create(amount=1299, currency="USD", payment_method=card)
    client.transactions.capture(transaction_id=transaction.id)
    refund = client.transactions.refunds.create(transaction_id=transaction.id, amount=500)
    print(f"refund {refund.id}: {refund.status}")

    # Every transaction in USD or EUR, page after page.
    page = client.transactions.list(currency=["USD", "EUR"])
    while page is not None:
        for item in page.result.items:
            print(item.id, item.amount)
        page = page.next()

    # An error the API answers (4XX): its status and message.
    try:
        client.transactions.get(transaction_id="no-such-transaction")
    except errors.Gr4vyError as error:
        print(f"HTTP {error.status_code}: {error.message}")

    # One call on behalf of another merchant account.
    buyers = client.buyers.list(merchant_account_id="other-merchant")
    print(f"{len(buyers.result.items)} buyers in other-merchant")

    # A token for Gr4vy Embed, pinned to a new checkout session.
    embed = {"amount": 1299, "currency": "USD", "buyer_external_identifier": "user-1234"}
    token = auth.get_embed_token_with_checkout_session(client, private_key, embed_params=embed)
    print(f"embed token of {len(token)} bytes")


def on_webhook(secret: str, body: str, signature: str, timestamp: str) -> dict:
    # Only a request signed with the subscription's secret, in the last five minutes, is parsed.
    verify_webhook(body, secret, signature, timestamp, 300)
    return json.loads(body)


if __name__ == "__main__":
    private_key = open(os.environ["GR4VY_PRIVATE_KEY"]).read()
    with Gr4vy(
        id=os.environ["GR4VY_ID"],
        merchant_account_id=os.environ["GR4VY_MERCHANT_ACCOUNT_ID"],
        bearer_auth=auth.with_token(private_key),
    ) as client:
        run(client, private_key)
