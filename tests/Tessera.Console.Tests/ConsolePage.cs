using System.Text.Json;
using Microsoft.Playwright;

namespace Tessera.Console.Tests;

/// <summary>The console as a person uses it: fill the form, press the buttons, read what it shows.</summary>
internal sealed class ConsolePage(IPage page)
{
    public const string Password = "correct horse battery";

    public IPage Page { get; } = page;

    public static async Task<ConsolePage> OpenAsync(IBrowserContext context)
    {
        IPage page = await context.NewPageAsync();
        var console = new ConsolePage(page);
        await console.GotoAsync();
        return console;
    }

    /// <summary>Opens the console in <paramref name="context"/>, registers a new user and signs in with <paramref name="mode"/>.</summary>
    public static async Task<ConsolePage> OpenSignedInAsync(IBrowserContext context, string usernamePrefix, string mode)
    {
        ConsolePage console = await OpenAsync(context);
        await console.RegisterAndSignInAsync(NewUsername(usernamePrefix), mode);
        return console;
    }

    /// <summary>Loads (or reloads) the page and waits until it has asked the server who is signed in.</summary>
    public async Task GotoAsync()
    {
        await Page.GotoAsync("/");
        await Page.WaitForSelectorAsync("body[data-ready]", new() { State = WaitForSelectorState.Attached });
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await Page.WaitForSelectorAsync("body[data-ready]", new() { State = WaitForSelectorState.Attached });
    }

    public static string NewUsername(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public async Task RegisterAsync(string username)
    {
        await Page.GetByLabel("Username").FillAsync(username);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#form-message")).ToContainTextAsync($"Registered {username}");
    }

    public static string ModeLabel(string mode) => mode switch
    {
        "session" => "Session cookie",
        "bearer" => "Tokens in the page (bearer)",
        "cookie" => "Tokens in HttpOnly cookies",
        "dpop" => "Tokens in the page + DPoP",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public async Task SignInAsync(string username, string mode)
    {
        await Page.GetByLabel("Username").FillAsync(username);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await Page.Locator($"#mode-{mode}").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await ExpectSignedInAsync(username, mode);
    }

    public async Task RegisterAndSignInAsync(string username, string mode)
    {
        await RegisterAsync(username);
        await SignInAsync(username, mode);
    }

    public async Task ExpectSignedInAsync(string username, string mode)
    {
        await Assertions.Expect(Page.Locator("#status")).ToHaveTextAsync($"Signed in as {username} ({ModeLabel(mode)}).");
        await Assertions.Expect(Page.Locator("#session-id")).ToBeVisibleAsync();
        await Page.WaitForSelectorAsync("body[data-ready='signed-in']", new() { State = WaitForSelectorState.Attached });
    }

    public async Task ExpectSignedOutAsync(string statusContains)
    {
        await Assertions.Expect(Page.Locator("#status")).ToContainTextAsync(statusContains);
        await Assertions.Expect(Page.Locator("#sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#account")).ToBeHiddenAsync();
    }

    public Task<string> SessionIdAsync() => Page.Locator("#session-id").InnerTextAsync();

    public async Task AddToCartAsync(string productName)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Add to cart: {productName}" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#shop-message")).ToHaveTextAsync($"{productName} added.");
    }

    public async Task PlaceOrderAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#shop-message")).ToContainTextAsync("Order placed");
    }

    /// <summary>A call from script in the page, as any script there could make: status and error code.</summary>
    public async Task<(int Status, string? Error)> FetchFromPageAsync(string path)
    {
        JsonElement result = await Page.EvaluateAsync<JsonElement>(
            "async path => { const r = await fetch(path, { credentials: 'same-origin' }); const b = await r.json().catch(() => ({})); return { status: r.status, error: b.error ?? null }; }", path);
        return (result.GetProperty("status").GetInt32(), result.GetProperty("error").GetString());
    }

    /// <summary>The signed-in user's id, as <c>/auth/me</c> gives it to script in the page.</summary>
    public async Task<string> UserIdAsync()
    {
        string? id = await Page.EvaluateAsync<string?>(
            "async () => { const t = JSON.parse(localStorage.getItem('tessera.bearer') ?? 'null')?.accessToken; const r = await fetch('/auth/me', { headers: t ? { Authorization: `Bearer ${t}` } : {} }); return r.ok ? (await r.json()).user.id : null; }");
        return id ?? throw new InvalidOperationException("Not signed in: /auth/me refused.");
    }

    /// <summary>The log rows for one request, newest first: their credential kind and text.</summary>
    public async Task<IReadOnlyList<LogRow>> LogRowsAsync(string request)
    {
        JsonElement rows = await Page.EvaluateAsync<JsonElement>(
            """
            request => [...document.querySelectorAll('#log-table tbody tr')]
              .filter(r => r.cells[1].querySelector('code').textContent === request)
              .map(r => ({ credential: r.dataset.credential, status: Number(r.dataset.status), text: r.cells[3].textContent, label: r.cells[1].querySelector('.tag')?.textContent ?? null, setCookies: r.cells[4].textContent }))
            """, request);
        return [.. rows.EnumerateArray().Select(r => new LogRow(
            r.GetProperty("credential").GetString()!, r.GetProperty("status").GetInt32(), r.GetProperty("text").GetString()!,
            r.GetProperty("label").GetString(), r.GetProperty("setCookies").GetString()!))];
    }

    public async Task ScreenshotAsync(string name)
    {
        // The viewport, not the full page: small enough to commit, and it shows the panels that differ per mode.
        byte[] png = await Page.ScreenshotAsync();
        Screenshots.Save(name, png);
    }

    /// <summary>One panel (e.g. the request log), which the viewport shot may not reach.</summary>
    public async Task ScreenshotAsync(string name, string panelSelector)
    {
        byte[] png = await Page.Locator(panelSelector).ScreenshotAsync();
        Screenshots.Save(name, png);
    }
}

internal sealed record LogRow(string Credential, int Status, string Text, string? Label, string SetCookies);
