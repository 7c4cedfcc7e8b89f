"""Discussion boards, threads and posts, and the notifications they (and other apps) send."""
