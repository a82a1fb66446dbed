import { Document, Form, InputParam } from './document.js';
import * as enums from './enums.js';
import * as notifications from './notification.js';
import { NotificationTemplateParams, SigningOrder } from './order.js';
import { SigningOrderResponse, SigningOrderTask } from './order-response.js';
import { PackagingTask, PackagingTaskDocument } from './packaging.js';
import { Problem, Violation } from './problem.js';
import * as status from './status.js';
import { Authentication, Dialog, SignatureMethod, Subject, SubjectAttribute, Task } from './task.js';

/** Every model of the API by component name: importing this registers them all for the OpenAPI document. */
export const MODELS = {
  Language: enums.Language,
  DocumentAction: enums.DocumentAction,
  DocumentSource: enums.DocumentSource,
  SignatureMethodType: enums.SignatureMethodType,
  NotificationType: enums.NotificationType,
  TaskTriggerStatus: enums.TaskTriggerStatus,
  PackagingTriggerStatus: enums.PackagingTriggerStatus,
  TaskStatus: enums.TaskStatus,
  PackagingTaskStatus: enums.PackagingTaskStatus,
  EventType: enums.EventType,
  Delay: notifications.Delay,
  TaskNotificationSchedule: notifications.TaskNotificationSchedule,
  PackagingTaskNotificationSchedule: notifications.PackagingTaskNotificationSchedule,
  TaskNotification: notifications.TaskNotification,
  SigningOrderNotification: notifications.SigningOrderNotification,
  PackagingTaskNotification: notifications.PackagingTaskNotification,
  InputParam,
  Form,
  Document,
  SignatureMethod,
  Authentication,
  SubjectAttribute,
  Subject,
  Dialog,
  Task,
  PackagingTaskDocument,
  PackagingTask,
  NotificationTemplateParams,
  SigningOrder,
  SigningOrderTask,
  SigningOrderResponse,
  TaskStatusDocument: status.TaskStatusDocument,
  TaskStatusInfo: status.TaskStatusInfo,
  PackagingTaskStatusInfo: status.PackagingTaskStatusInfo,
  Event: status.Event,
  TaskForwardDetails: status.TaskForwardDetails,
  DocumentUploadResponse: status.DocumentUploadResponse,
  Violation,
  Problem,
};
