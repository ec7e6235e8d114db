package com.vipride.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Drives the console in Debian's Chromium (package {@code chromium}) through Playwright: one browser per
 * test class, a fresh context (no shared tokens) per test. Every request that leaves the service's
 * origin is refused and recorded, and so is every Content-Security-Policy violation; either fails the
 * test. Each test leaves a screenshot of its final state in target/console-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleBrowser extends IntegrationTest {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "console-screenshots");

    private Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    protected Page page;
    private final List<String> foreignRequests = new CopyOnWriteArrayList<>();
    private final List<String> policyViolations = new CopyOnWriteArrayList<>();
    private String testName;

    @BeforeAll
    void launchBrowser() {
        assertThat(Files.isExecutable(CHROMIUM))
                .as(
                        "The console's browser tests drive Debian's Chromium at %s: install the Debian package"
                                + " `chromium` (apt-get install chromium fonts-dejavu-core)",
                        CHROMIUM)
                .isTrue();
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync")));
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void openContext(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("console");
        foreignRequests.clear();
        policyViolations.clear();
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.setDefaultTimeout(15_000);
        String origin = origin(baseUrl());
        context.route("**/*", route -> {
            String url = route.request().url();
            if (url.startsWith("data:")
                    || url.startsWith("blob:")
                    || origin(url).equals(origin)) {
                route.resume();
            } else {
                foreignRequests.add(url);
                route.abort();
            }
        });
        page = context.newPage();
        page.onConsoleMessage(message -> {
            String text = message.text();
            if (text.contains("Content Security Policy") || text.contains("Refused to")) {
                policyViolations.add(text);
            }
        });
        page.onPageError(error -> policyViolations.add("page error: " + error));
    }

    @AfterEach
    void screenshotAndCheck() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(getClass().getSimpleName() + "-" + testName + ".png"))
                .setFullPage(true));
        // A page that polls (the control centre's plane) may have a request on its way through the route
        // handler while the context closes: the handler goes first, so no request is routed into a closed context.
        context.unrouteAll();
        context.close();
        assertThat(foreignRequests)
                .as("requests that left the service's origin")
                .isEmpty();
        assertThat(policyViolations)
                .as("Content-Security-Policy violations and script errors")
                .isEmpty();
    }

    /** Opens the console and signs in as {@code account} (whose password is the test accounts' one). */
    protected void signIn(TestAccounts.SignedIn account) {
        page.navigate(baseUrl() + "/console/");
        page.getByLabel("E-mail").fill(account.email());
        page.getByLabel("Password").fill(TestAccounts.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .waitFor();
    }

    protected void signIn(String email) {
        signIn(new TestAccounts.SignedIn(null, email, null, null));
    }

    protected List<String> foreignRequests() {
        return foreignRequests;
    }

    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 80 : uri.getPort());
    }
}
