import Foundation
import Hummingbird
import HooklineCore
import HooklineDelivery
import HooklineStore
import Logging
import Prometheus
import ServiceLifecycle

/// Composes Hookline: the store, the delivery workers and the HTTP routes, in one application.
public func buildApplication(_ configuration: AppConfiguration, store: any Store) async throws -> some ApplicationProtocol {
    var configuration = configuration
    configuration.delivery.traced = configuration.otlpEndpoint != nil
    var logger = Logger(label: "hookline")
    logger.logLevel = configuration.logLevel
    if configuration.migrates {
        try await store.migrate()
    } else {
        try await store.ping()
    }

    let admin = try await AdminKey.resolve(configured: configuration.adminKey, store: store)
    if let key = admin.generatedKey {
        // Shown once, on stderr (unbuffered, so it appears at once under a supervisor); only its
        // digest is stored.
        FileHandle.standardError.write(Data("Generated admin key (shown once; set HOOKLINE_ADMIN_KEY to choose your own): \(key)\n".utf8))
    }

    let wakeup = Wakeup()
    let registry = PrometheusCollectorRegistry()
    let metrics = HooklineMetrics(factory: PrometheusMetricsFactory(registry: registry))
    let clients = HTTPClients(configuration: configuration.delivery)
    var services: [any Service] = [HTTPClientService(clients: clients)]
    if let endpoint = configuration.otlpEndpoint { services.append(try OTLPTracing.bootstrap(endpoint: endpoint)) }
    var worker: DeliveryWorker?
    let sender = HTTPSender(clients: clients, configuration: configuration.delivery)
    if configuration.runsWorkers {
        if let warning = OpenFileLimit.warning(concurrency: configuration.delivery.concurrency, limit: OpenFileLimit.raise()) {
            logger.warning("\(warning)")
        }
        worker = DeliveryWorker(store: store, sender: sender, wakeup: wakeup, configuration: configuration.delivery, metrics: metrics, logger: logger)
        services.append(worker!)
    }
    services.append(RetentionSweeper(store: store, retention: configuration.retention, logger: logger))

    let operations = OperationsController(store: store, worker: worker, metrics: metrics, registry: registry)
    let router =
        configuration.servesAPI
        ? buildRouter(
            store: store, ingestion: Ingestion(store: store, worker: worker, wakeup: wakeup, traced: configuration.delivery.traced), wakeup: wakeup, sender: sender, adminKeyDigest: admin.digest,
            operations: operations, traced: configuration.otlpEndpoint != nil)
        : buildOperationsRouter(operations, traced: configuration.otlpEndpoint != nil)
    if configuration.servesAPI { try addPages(to: router, store: store, wakeup: wakeup, sender: sender) }
    let timeouts = configuration.connectionTimeouts
    return Application(
        responder: MethodsResponder(base: router.buildResponder(), routes: router.routes.map { ($0.path.description, $0.method) }),
        server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionDeadlineHandler(timeouts: timeouts)])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Hookline"),
        services: services,
        logger: logger)
}

/// A worker's routes, and the first of every process's: health, readiness and metrics.
func buildOperationsRouter(_ operations: OperationsController, traced: Bool = false) -> Router<HooklineRequestContext> {
    let router = Router(context: HooklineRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    // Before every route: a span per request, which an ingest's span and its deliveries continue.
    if traced { router.add(middleware: TracingMiddleware()) }
    operations.addRoutes(to: router.group())
    return router
}

func buildRouter(
    store: any Store, ingestion: Ingestion, wakeup: Wakeup, sender: HTTPSender, adminKeyDigest: String, operations: OperationsController, traced: Bool = false
) -> Router<HooklineRequestContext> {
    let metrics = operations.metrics
    let router = buildOperationsRouter(operations, traced: traced)
    OpenAPIController().addRoutes(to: router.group())

    AccountsController(store: store).addRoutes(to: router.group("v1/accounts").add(middleware: AdminAuthenticator(adminKeyDigest: adminKeyDigest)))

    let api = router.group("v1").add(middleware: AccountAuthenticator(store: store))
    let ingest = IngestController(store: store, ingestion: ingestion, validator: TokenValidator(), metrics: metrics)
    ingest.addCallRoutes(to: api.group("calls"))
    ingest.addLeadRoutes(to: api.group("leads"))
    ingest.addMessageRoutes(to: api.group("messages"))
    ingest.addConversionRoutes(to: api.group("conversions"))
    WebhooksController(store: store, wakeup: wakeup, sender: sender).addRoutes(to: api.group("webhooks"))
    TemplatesController(store: store).addRoutes(to: api.group("templates"))
    PresetsController().addRoutes(to: api.group("presets"))
    LocationsController(store: store, validator: TokenValidator()).addRoutes(to: api.group("locations"))
    CampaignsController(store: store).addRoutes(to: api.group("campaigns"))
    let placements = PlacementsController(placements: WebhookPlacements(store: store))
    placements.addPlaceRoutes(to: api.group("campaigns")) { .campaign($0) }
    placements.addPlaceRoutes(to: api.group("locations")) { .location($0) }
    placements.addTreatmentRoutes(to: api.group("treatment-options"))
    placements.addWebhookRoutes(to: api.group("webhooks"))
    DeliveriesController(store: store, wakeup: wakeup).addRoutes(to: api.group("deliveries"))
    TokensController(catalogue: .standard).addRoutes(to: api.group("tokens"))
    UsersController(users: UserDirectory(store: store)).addRoutes(to: api.group("users"))
    SourcesController(store: store).addRoutes(to: api.group("sources"))
    OwnAccountController(store: store).addRoutes(to: api.group("account"))
    ReplaysController(store: store).addRoutes(to: api.group("replays"))
    NotificationChannelsController(store: store, wakeup: wakeup, channels: NotificationChannels(store: store, sender: sender)).addRoutes(to: api.group("notification-channels"))
    InboundController(store: store, ingestion: ingestion, metrics: metrics).addRoutes(to: router)
    return router
}

/// The web UI, beside the API: the same domain calls, as pages for signed-in users.
func addPages(to router: Router<HooklineRequestContext>, store: any Store, wakeup: Wakeup, sender: HTTPSender) throws {
    let users = UserDirectory(store: store)
    let pages = try Pages()
    Assets.addRoutes(to: router.group("ui"))
    let signIn = SignInPages(users: users, pages: pages)
    signIn.addRoutes(to: router.group().add(middleware: PageErrors(pages: pages)))
    let ui = router.group().add(middleware: PageErrors(pages: pages)).add(middleware: SignedInUser(users: users))
    ui.get { _, _ in Pages.redirect(to: "/webhooks") }
    signIn.addSignedInRoutes(to: ui)
    WizardPages(store: store, pages: pages).addRoutes(to: ui)
    WebhookPages(store: store, wakeup: wakeup, sender: sender, pages: pages).addRoutes(to: ui)
    DeliveryPages(store: store, wakeup: wakeup, pages: pages).addRoutes(to: ui)
    ReplayPages(store: store, pages: pages).addRoutes(to: ui)
    NotificationPages(channels: NotificationChannels(store: store, sender: sender), pages: pages).addRoutes(to: ui)
    TokenPages(catalogue: .standard, pages: pages).addRoutes(to: ui)
    UserPages(users: users, pages: pages).addRoutes(to: ui)
    WebhookEditPages(store: store, pages: pages).addRoutes(to: ui)
    LocationPages(store: store, pages: pages).addRoutes(to: ui)
    CampaignPages(store: store, pages: pages).addRoutes(to: ui)
    TreatmentPages(store: store, pages: pages).addRoutes(to: ui)
    CallPages(store: store, pages: pages).addRoutes(to: ui)
    SourcePages(store: store, pages: pages).addRoutes(to: ui)
}
