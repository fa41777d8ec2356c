using Microsoft.AspNetCore.Authorization;

namespace AnSinh.Web.Security;

/// <summary>
/// Every page and endpoint names one of these (or [AllowAnonymous]); the fallback policy refuses
/// anything that forgets. Place-scoped policies also check a {provinceCode} route value against the
/// user's scope; list queries filter by <see cref="UserScope"/>.
/// </summary>
public static class Policies
{
    public const string SignedIn = nameof(SignedIn);
    public const string Admin = nameof(Admin);

    /// <summary>Registry and case data of a place: staff of that place, admins and inspectors (read).</summary>
    public const string PlaceData = nameof(PlaceData);

    /// <summary>Registry changes (applications, people, enrolment changes): commune and province officers, admins.</summary>
    public const string RegistryWrite = nameof(RegistryWrite);

    /// <summary>Decisions on applications and changes: commune chairmen and province approvers; which of them decides is the province's setting, checked by the command (never the person who prepared the case).</summary>
    public const string Decide = nameof(Decide);

    /// <summary>A province's own levels (base, social pension): its province officers, and admins.</summary>
    public const string ProvinceRules = nameof(ProvinceRules);

    /// <summary>Payers, contracts and payment points of a province: its province officers, and admins.</summary>
    public const string PaymentSetup = nameof(PaymentSetup);

    /// <summary>Preparing a province's payroll (start, recompute, submit, mark sent, record outcomes): its province officers, and admins.</summary>
    public const string PayrollPrepare = nameof(PayrollPrepare);

    /// <summary>Approving or returning a province's payroll and waiving debts: its province approvers, and admins; never whoever prepared the run.</summary>
    public const string PayrollApprove = nameof(PayrollApprove);

    /// <summary>Reconciling a province's runs with its payers (transfers, exceptions): its officers and approvers, and admins; writing off is the approver's alone.</summary>
    public const string Reconcile = nameof(Reconcile);

    /// <summary>
    /// A payer's files and results: the province's officers and approvers and admins (signed in), the payer's clerks, and
    /// the payer's systems with an API token, which pass no other policy. Which payer is checked by <see cref="PayerAccess"/>.
    /// </summary>
    public const string PayerExchange = nameof(PayerExchange);

    /// <summary>A payer clerk's own page (signed in): which payer is the clerk's claim.</summary>
    public const string PayerClerk = nameof(PayerClerk);

    /// <summary>Receiving, accepting and answering grievances: province and commune officers (a commune's only its own), and admins.</summary>
    public const string GrievanceWrite = nameof(GrievanceWrite);

    /// <summary>Inspection plans, visits and findings: inspectors of the province, and admins. Taking a finding's action is an officer's (<see cref="RegistryWrite"/>).</summary>
    public const string InspectionWrite = nameof(InspectionWrite);

    /// <summary>The audit log: admins, and inspectors and approvers within their province.</summary>
    public const string AuditRead = nameof(AuditRead);

    public static void Register(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var signedIn = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.FallbackPolicy = signedIn;
        options.DefaultPolicy = signedIn;
        options.AddPolicy(SignedIn, signedIn);
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(PlaceData, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer, Roles.ProvinceApprover, Roles.CommuneOfficer, Roles.CommuneApprover, Roles.Inspector)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(RegistryWrite, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer, Roles.CommuneOfficer)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(Decide, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.ProvinceApprover, Roles.CommuneApprover)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(ProvinceRules, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(PaymentSetup, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(PayrollPrepare, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(PayrollApprove, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceApprover)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(Reconcile, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer, Roles.ProvinceApprover)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(PayerExchange, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.CookieOrToken)
            .RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer, Roles.ProvinceApprover, Roles.PayerClerk));
        options.AddPolicy(PayerClerk, p => p.RequireAuthenticatedUser().RequireRole(Roles.PayerClerk));
        options.AddPolicy(GrievanceWrite, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.ProvinceOfficer, Roles.CommuneOfficer)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(InspectionWrite, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.Inspector)
            .AddRequirements(new RouteProvinceInScope()));
        options.AddPolicy(AuditRead, p => p.RequireAuthenticatedUser()
            .RequireRole(Roles.Admin, Roles.Inspector, Roles.ProvinceApprover)
            .AddRequirements(new RouteProvinceInScope()));
    }
}

/// <summary>A {provinceCode} route value, where the route has one, must be in the user's scope.</summary>
public sealed class RouteProvinceInScope : IAuthorizationRequirement, IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var province = (context.Resource as HttpContext)?.GetRouteValue("provinceCode") as string;
        if (province is null || UserScope.From(context.User).CoversProvince(province))
        {
            context.Succeed(this);
        }

        return Task.CompletedTask;
    }
}
