import { ActivityHandler, type ConversationState, type TurnContext, type UserState } from 'botbuilder';
import {
  DialogSet,
  DialogTurnStatus,
  type Dialog,
  type DialogState,
  type DialogStateManagerConfiguration,
} from 'botbuilder-dialogs';

/** The turn-state key under which botbuilder-dialogs looks for a ready DialogStateManager configuration. */
const STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * The one bot behind every channel: every activity (message, event, conversation update) goes to
 * the root dialog, and state is saved at the end of the turn.
 */
export class CustomerServiceBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  /** Built by botbuilder on the first turn, then reused (see onTurn). */
  private stateManagerConfiguration: DialogStateManagerConfiguration | undefined;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly rootDialog: Dialog,
  ) {
    super();
    // A plain DialogSet rather than runDialog(): runDialog also loads botbuilder's memory scopes
    // (adaptive-dialog machinery this bot does not use), which costs more than the rest of the turn.
    this.dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState')).add(rootDialog);
    this.onTurn(async (context, next) => {
      // Every DialogContext builds its memory-scope configuration through botbuilder's service container unless
      // the turn already holds one; the scopes are stateless, so the first turn's serves every later turn.
      if (this.stateManagerConfiguration) context.turnState.set(STATE_MANAGER_CONFIGURATION, this.stateManagerConfiguration);
      const dc = await this.dialogs.createContext(context);
      this.stateManagerConfiguration ??= dc.state.configuration;
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.rootDialog.id);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }
}
