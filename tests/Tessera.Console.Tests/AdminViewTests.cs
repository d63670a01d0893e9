using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>
/// The admin view against the real admin API: who sees it, and what an administrator does with it
/// to another user, who finds out in their own browser.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class AdminViewTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("session")]
    [InlineData("bearer")]
    public async Task ANonAdminNeverSeesTheAdminSection(string mode)
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        ConsolePage console = await ConsolePage.OpenSignedInAsync(context, "plain", mode);

        await Assertions.Expect(console.Page.Locator("#admin")).ToBeHiddenAsync();
        await console.ReloadAsync();
        await Assertions.Expect(console.Page.Locator("#admin")).ToBeHiddenAsync();
        // Hidden and empty: the page never asked the admin API, so it holds nothing of it.
        Assert.Empty(await console.Page.Locator("#admin-users-table tbody tr, #admin-keys-table tbody tr, #admin-audit-table tbody tr").AllAsync());
        Assert.Equal(0, await console.Page.Locator("#log-table tbody tr code").Filter(new() { HasTextRegex = AdminPath() }).CountAsync());
        Assert.Equal(0, await console.Page.GetByRole(AriaRole.Heading, new() { Name = "Administration" }).CountAsync());
    }

    [Fact]
    public async Task AnAdminEndsAnotherUsersSessionAndThatPageIsSignedOutAtItsNextCall()
    {
        await using IBrowserContext victimContext = await fixture.NewContextAsync();
        ConsolePage victim = await ConsolePage.OpenAsync(victimContext);
        string victimName = ConsolePage.NewUsername("victim");
        await victim.RegisterAndSignInAsync(victimName, "session");
        string victimSession = await victim.SessionIdAsync();

        await using IBrowserContext adminContext = await fixture.NewContextAsync();
        AdminConsole admin = await AdminConsole.OpenAsync(fixture, adminContext);
        await admin.OpenUserAsync(victimName);
        ILocator sessionRow = admin.Page.Locator($"#admin-sessions-table tbody tr[data-session-id='{victimSession}']");
        await Assertions.Expect(sessionRow).ToHaveCountAsync(1);
        // Device, address, last seen, mode.
        await Assertions.Expect(sessionRow.Locator("td").Nth(1)).ToHaveTextAsync("127.0.0.1");
        await Assertions.Expect(sessionRow.Locator("td").Nth(3)).ToHaveTextAsync("cookie");

        await admin.ClickAsync($"End session {victimSession}");

        await Assertions.Expect(admin.Message).ToHaveTextAsync($"Session {victimSession} of {victimName} ended.");
        await Assertions.Expect(admin.Message).ToBeFocusedAsync();
        await Assertions.Expect(sessionRow).ToHaveCountAsync(0);
        await Assertions.Expect(admin.Page.Locator("#admin-sessions-empty")).ToBeVisibleAsync();
        // The victim's page still shows them signed in; its next call gets 401 and signs out.
        await Assertions.Expect(victim.Page.Locator("#status")).ToContainTextAsync("Signed in");
        await victim.Page.GetByRole(AriaRole.Button, new() { Name = "Ask the server again" }).ClickAsync();
        await victim.ExpectSignedOutAsync("This session has ended");
        Assert.Contains(await victim.LogRowsAsync("GET /auth/me"), r => r.Status == 401);
    }

    [Fact]
    public async Task AnAdminDisablesAUserWhoseSignInThenFailsAndEnablesThemAgain()
    {
        string victimName = ConsolePage.NewUsername("disabled");
        await using IBrowserContext victimContext = await fixture.NewContextAsync();
        ConsolePage victim = await ConsolePage.OpenAsync(victimContext);
        await victim.RegisterAndSignInAsync(victimName, "bearer");

        await using IBrowserContext adminContext = await fixture.NewContextAsync();
        AdminConsole admin = await AdminConsole.OpenAsync(fixture, adminContext);
        await admin.OpenUserAsync(victimName);
        await admin.ClickAsync($"Disable {victimName}");

        await Assertions.Expect(admin.Message).ToContainTextAsync($"{victimName} is disabled");
        await Assertions.Expect(admin.Page.Locator("#admin-user-state")).ToContainTextAsync("disabled since");
        await Assertions.Expect(admin.UserRow(victimName).Locator("td.state")).ToContainTextAsync("disabled since");
        await Assertions.Expect(admin.Page.Locator("#admin-sessions-table tbody tr")).ToHaveCountAsync(0);

        // Disabling ended the bearer session too: the next call is refused and the page signs out.
        await victim.Page.GetByRole(AriaRole.Button, new() { Name = "Ask the server again" }).ClickAsync();
        await victim.ExpectSignedOutAsync("This session has ended");
        await victim.Page.GetByLabel("Username").FillAsync(victimName);
        await victim.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(ConsolePage.Password);
        await victim.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(victim.Page.Locator("#form-message")).ToContainTextAsync(new Regex("disabled", RegexOptions.IgnoreCase));
        await Assertions.Expect(victim.Page.Locator("#account")).ToBeHiddenAsync();

        await admin.ClickAsync($"Enable {victimName}");
        await Assertions.Expect(admin.Page.Locator("#admin-user-state")).ToHaveTextAsync("active");
        await victim.SignInAsync(victimName, "session");
    }

    [Fact]
    public async Task AnAdminLocksWithAnEndTimeUnlocksAndEditsRoles()
    {
        string username = ConsolePage.NewUsername("locked");
        await using IBrowserContext userContext = await fixture.NewContextAsync();
        ConsolePage user = await ConsolePage.OpenAsync(userContext);
        await user.RegisterAsync(username);

        await using IBrowserContext adminContext = await fixture.NewContextAsync();
        AdminConsole admin = await AdminConsole.OpenAsync(fixture, adminContext);
        await admin.OpenUserAsync(username);
        await admin.Page.GetByLabel("Lock until").FillAsync("2099-01-02T03:04");
        await admin.ClickAsync($"Lock {username}");

        await Assertions.Expect(admin.Page.Locator("#admin-user-state")).ToContainTextAsync("locked until");
        await Assertions.Expect(admin.Page.Locator("#admin-user-state")).ToContainTextAsync("2099");
        await user.Page.GetByLabel("Username").FillAsync(username);
        await user.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(ConsolePage.Password);
        await user.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(user.Page.Locator("#form-message")).ToContainTextAsync(new Regex("lock", RegexOptions.IgnoreCase));

        await admin.ClickAsync($"Unlock {username}");
        await Assertions.Expect(admin.Page.Locator("#admin-user-state")).ToHaveTextAsync("active");
        await user.SignInAsync(username, "session");

        // Roles: a bad name is the API's error, shown as it said it; a good one is saved.
        await admin.Page.GetByLabel("Roles").FillAsync("auditor bad\"role");
        await admin.ClickAsync("Save roles");
        await Assertions.Expect(admin.Message).ToContainTextAsync("The role name 'bad\"role' may only contain printable ASCII characters");
        await Assertions.Expect(admin.Message).ToContainTextAsync("(role_invalid)");
        await Assertions.Expect(admin.Page.Locator("#admin-user-roles")).ToHaveTextAsync("none");
        await Assertions.Expect(admin.Message).ToBeFocusedAsync();
        await admin.Page.GetByLabel("Roles").FillAsync("auditor support");
        await admin.ClickAsync("Save roles");
        await Assertions.Expect(admin.Page.Locator("#admin-user-roles")).ToHaveTextAsync("auditor, support");
        await Assertions.Expect(admin.UserRow(username).Locator("td.roles")).ToHaveTextAsync("auditor, support");
    }

    [Fact]
    public async Task AnAdminDeletesAUserAfterAConfirmationNamingThem()
    {
        string username = ConsolePage.NewUsername("deleted");
        await using IBrowserContext userContext = await fixture.NewContextAsync();
        ConsolePage user = await ConsolePage.OpenAsync(userContext);
        await user.RegisterAndSignInAsync(username, "cookie");

        await using IBrowserContext adminContext = await fixture.NewContextAsync();
        AdminConsole admin = await AdminConsole.OpenAsync(fixture, adminContext);
        await admin.OpenUserAsync(username);

        // Cancel first (Escape): nothing happens, the focus goes back to the button.
        await admin.ClickAsync($"Delete {username}…");
        ILocator dialog = admin.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Delete {username}?" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync(username);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await admin.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete {username}…" })).ToBeFocusedAsync();
        await Assertions.Expect(admin.UserRow(username)).ToHaveCountAsync(1);

        await admin.ClickAsync($"Delete {username}…");
        await dialog.GetByRole(AriaRole.Button, new() { Name = $"Delete {username}", Exact = true }).ClickAsync();

        await Assertions.Expect(admin.Message).ToHaveTextAsync($"{username} is deleted.");
        await Assertions.Expect(admin.Page.Locator("#admin-user")).ToBeHiddenAsync();
        await Assertions.Expect(admin.Page.GetByLabel("Search users")).ToBeFocusedAsync();
        await admin.SearchAsync(username);
        await Assertions.Expect(admin.Page.Locator("#admin-users-count")).ToHaveTextAsync($"No user matches “{username}”.");
        // Their page is signed out at its next call, and the name signs in no more.
        await user.ReloadAsync();
        await user.ExpectSignedOutAsync("This session has ended");
        await user.Page.GetByLabel("Username").FillAsync(username);
        await user.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(ConsolePage.Password);
        await user.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(user.Page.Locator("#form-message")).Not.ToBeEmptyAsync();
        await Assertions.Expect(user.Page.Locator("#account")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AnAdminRotatesTheKeysAndSeesTheAuditEntriesOfWhatTheyDid()
    {
        string username = ConsolePage.NewUsername("audited");
        await using IBrowserContext userContext = await fixture.NewContextAsync();
        ConsolePage user = await ConsolePage.OpenAsync(userContext);
        await user.RegisterAndSignInAsync(username, "session");
        string userId = await user.UserIdAsync();

        await using IBrowserContext adminContext = await fixture.NewContextAsync();
        AdminConsole admin = await AdminConsole.OpenAsync(fixture, adminContext);
        Dictionary<string, (string Alg, string State)> before = await admin.KeysAsync();

        // A scheduled rotation: a new key of the signing algorithm, published first ("next"), while
        // that algorithm's current key signs on (the ring has a current key per algorithm it signs with).
        await admin.ClickAsync("Rotate the signing keys");
        await Assertions.Expect(admin.Message).ToContainTextAsync("Rotated the signing keys");
        await Assertions.Expect(admin.Page.Locator("#admin-keys-table tbody tr")).ToHaveCountAsync(before.Count + 1);
        Dictionary<string, (string Alg, string State)> scheduled = await admin.KeysAsync();
        string added = Assert.Single(scheduled.Keys.Except(before.Keys));
        string alg = scheduled[added].Alg;
        Assert.Equal("next", scheduled[added].State);
        string current = Assert.Single(before, k => k.Value == (alg, "current")).Key;
        Assert.Equal((alg, "current"), scheduled[current]);
        await Assertions.Expect(admin.Message).ToContainTextAsync($"{added} is next, signing from");
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = "Rotate the signing keys" })).ToBeFocusedAsync();

        // At once: the key that was current stops signing (its state column changes) and stays published.
        await admin.Page.GetByLabel("Sign with the new key at once").CheckAsync();
        await admin.ClickAsync("Rotate the signing keys");
        await Assertions.Expect(admin.Page.Locator($"#admin-keys-table tbody tr[data-kid='{current}'] td.state")).ToHaveTextAsync("retiring");
        Dictionary<string, (string Alg, string State)> after = await admin.KeysAsync();
        string now = Assert.Single(after, k => k.Value == (alg, "current")).Key;
        Assert.DoesNotContain(now, scheduled.Keys);
        await Assertions.Expect(admin.Message).ToHaveTextAsync($"Rotated the signing keys: {now} is current now.");

        await admin.OpenUserAsync(username);
        await admin.ClickAsync("End all sessions");
        await Assertions.Expect(admin.Message).ToHaveTextAsync($"Ended 1 session(s) of {username}.");

        // The log (reloaded after each action) has both, newest first, with the admin as the actor.
        string adminId = await admin.Console.UserIdAsync();
        await admin.Page.GetByLabel("Event type").SelectOptionAsync("admin.action");
        await admin.ClickAsync("Show events");
        await Assertions.Expect(admin.Page.Locator("#admin-audit-table tbody tr").Filter(new() { HasNotText = "admin.action" })).ToHaveCountAsync(0);
        IReadOnlyList<string[]> rows = [.. (await admin.AuditRowsAsync()).Select(r => r.Split('|'))];
        Assert.All(rows, r => Assert.Equal("admin.action", r[0]));
        // type | actor | user | outcome | detail (the action)
        int endAll = rows.ToList().FindIndex(r => r[1] == adminId && r[2] == userId && r[3] == "200" && r[4] == "user.sessions.end_all");
        int rotate = rows.ToList().FindIndex(r => r[1] == adminId && r[4] == "key.rotate");
        string table = string.Join("\n", rows.Select(r => string.Join('|', r)));
        Assert.True(endAll >= 0, "No audit row for ending the sessions:\n" + table);
        Assert.True(rotate > endAll, "The rotation should be listed after (older than) ending the sessions:\n" + table);

        // Filtered by the user: the events about them, the session end among them.
        await admin.ClickAsync("Show this user's audit events");
        await Assertions.Expect(admin.Page.GetByLabel("User id")).ToHaveValueAsync(userId);
        await Assertions.Expect(admin.Page.Locator("#admin-audit-table tbody tr").Filter(new() { HasNotText = userId })).ToHaveCountAsync(0);
        await Assertions.Expect(admin.Page.Locator("#admin-audit-table tbody tr").Filter(new() { HasText = "user.sessions.end_all" })).ToHaveCountAsync(1);
        Assert.All(await admin.AuditRowsAsync(), r => Assert.Contains(userId, r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdminPagesThroughASearchWithLoadMore()
    {
        await using IBrowserContext context = await fixture.NewContextAsync();
        AdminConsole admin = await AdminConsole.OpenAsync(fixture, context);
        // 26 users under one prefix: one more than a page (25).
        string prefix = $"page{Guid.NewGuid():N}"[..14];
        int registered = await admin.Page.EvaluateAsync<int>(
            """
            async prefix => {
              let ok = 0;
              for (let i = 10; i < 36; i++) {
                const r = await fetch('/auth/register', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: `${prefix}-${i}`, password: 'correct horse battery' }) });
                if (r.status === 201) ok++;
              }
              return ok;
            }
            """, prefix);
        Assert.Equal(26, registered);

        await admin.SearchAsync(prefix);

        ILocator rows = admin.Page.Locator("#admin-users-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        await Assertions.Expect(admin.Page.Locator("#admin-users-count")).ToHaveTextAsync("25 user(s) shown, more to load.");
        await admin.ClickAsync("Load more users");
        await Assertions.Expect(rows).ToHaveCountAsync(26);
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = "Load more users" })).ToBeHiddenAsync();
        // In username order, and the focus goes on from the first new row.
        string[] listed = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.username)");
        string[] expected = [.. Enumerable.Range(10, 26).Select(i => $"{prefix}-{i}")];
        Assert.Equal(expected, listed);
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Manage {prefix}-35", Exact = true })).ToBeFocusedAsync();
    }

    [GeneratedRegex("^[A-Z]+ /admin")]
    private static partial Regex AdminPath();
}
