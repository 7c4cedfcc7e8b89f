"""Settings for server processes in load and fault tests and the benchmark: Convene's own,
with the per-member send limit lifted (one test member sends thousands of messages) and a
faster periodic re-check, so that recovery after a Redis restart is quick to observe."""

import os

from config.settings import *  # noqa: F403

CHAT_SEND_RATE = (1_000_000, 1)
CHAT_RECHECK_SECONDS = 10

# The benchmark compares the two channels-redis layers on otherwise identical servers.
LAYERS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}
if REDIS_URL and os.environ.get("CONVENE_CHANNEL_LAYER") in LAYERS:  # noqa: F405
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": LAYERS[os.environ["CONVENE_CHANNEL_LAYER"]],
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "convene"},  # noqa: F405
        }
    }
