import { ActivityHandler, type ConversationState, type TurnContext, type UserState } from 'botbuilder';
import { runDialog, type Dialog, type DialogState } from 'botbuilder-dialogs';

/**
 * The one bot behind every channel: every activity (message, event, conversation update) goes to
 * the root dialog, and state is saved at the end of the turn.
 */
export class CustomerServiceBot extends ActivityHandler {
  private readonly dialogState;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly rootDialog: Dialog,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.onTurn(async (context, next) => {
      await runDialog(this.rootDialog, context, this.dialogState);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }
}
