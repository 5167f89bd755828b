"""Steps shared by the browser tests. The fixtures `browser` and
`browser_page` (Debian's chromium, never a downloaded browser) are in conftest.py."""

import os

ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "test-artifacts")


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def log_out(page):
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state()


def screenshot(page, name, full_page=True):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, name), full_page=full_page)
