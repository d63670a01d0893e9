using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>The admin view as an administrator uses it: search, open a user, press the buttons, read the tables.</summary>
internal sealed class AdminConsole(ConsolePage console)
{
    public ConsolePage Console { get; } = console;

    public IPage Page => Console.Page;

    public ILocator Section => Page.Locator("#admin");

    public ILocator Message => Page.Locator("#admin-message");

    /// <summary>Registers and signs in a new user, makes them an admin, and reloads until the view shows.</summary>
    public static async Task<AdminConsole> OpenAsync(ConsoleFixture fixture, IBrowserContext context, string mode = "session")
    {
        string username = ConsolePage.NewUsername("admin");
        ConsolePage console = await ConsolePage.OpenAsync(context);
        await console.RegisterAndSignInAsync(username, mode);
        await Assertions.Expect(console.Page.Locator("#admin")).ToBeHiddenAsync();
        await fixture.GrantAdminAsync(await console.UserIdAsync());
        await console.ReloadAsync();
        await console.ExpectSignedInAsync(username, mode);
        var admin = new AdminConsole(console);
        await Assertions.Expect(admin.Section).ToBeVisibleAsync();
        await Assertions.Expect(admin.Page.Locator("#admin-keys-table tbody tr").First).ToBeVisibleAsync();
        return admin;
    }

    public async Task SearchAsync(string text)
    {
        await Page.GetByLabel("Search users").FillAsync(text);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
    }

    public ILocator UserRow(string username) => Page.Locator($"#admin-users-table tbody tr[data-username='{username}']");

    /// <summary>Searches for <paramref name="username"/> and opens them; their sessions are listed when this returns.</summary>
    public async Task OpenUserAsync(string username)
    {
        await SearchAsync(username);
        await Assertions.Expect(UserRow(username)).ToHaveCountAsync(1);
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Manage {username}", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.Locator("#admin-user-name")).ToHaveTextAsync(username);
        // Opening moves the focus to the user's heading, after the sessions are in.
        await Assertions.Expect(Page.Locator("#admin-user-title")).ToBeFocusedAsync();
    }

    public Task ClickAsync(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();

    /// <summary>The key ring as the table shows it: kid → (algorithm, state).</summary>
    public async Task<Dictionary<string, (string Alg, string State)>> KeysAsync()
    {
        IReadOnlyList<string> rows = await Page.Locator("#admin-keys-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => [r.dataset.kid, r.dataset.alg, r.dataset.state].join(' '))");
        return rows.Select(r => r.Split(' ')).ToDictionary(p => p[0], p => (p[1], p[2]));
    }

    /// <summary>Audit rows of the table (newest first) as "type|actor|user|outcome|detail".</summary>
    public async Task<IReadOnlyList<string>> AuditRowsAsync() =>
        await Page.Locator("#admin-audit-table tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => [1, 2, 3, 4, 5].map(i => r.cells[i].textContent).join('|'))");
}
